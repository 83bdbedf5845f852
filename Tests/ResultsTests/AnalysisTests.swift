import Basics
import Checkers
import Foundation
import Histories
import Report
import Results
import SchismTestKit
import Testing

@Suite("Run analysis")
struct AnalysisTests {
    static let registry = CheckerRegistry([LinearizabilityPlugin(), BadOpPlugin()])
    static let both = [LinearizabilityPlugin.runSpec(model: "cas-register"), CheckerSpec("bad-ops")]

    @Test("two checkers: verdicts merged, results.json lists both, the default renderer shows the finding")
    func twoCheckers() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 1, badOp: true), record: RunFixtures.record(checkers: Self.both), root: root)
        var run = try StoredRun(path: folder.path)
        run.notes = ["read this first"]
        let a = try RunAnalysis.analyze(run, registry: Self.registry, write: true)
        #expect(a.outcomes.map(\.verdict) == [.valid, .invalid])
        #expect(a.verdict == .invalid)
        #expect(a.exitCode == ExitStatus.invalid)
        #expect(a.summaryLines.count == 2)

        let results = try JSONValue.parse(String(contentsOfFile: folder.resultsJSON, encoding: .utf8))
        guard case .object(let r) = results, let checkers = r["checkers"]?.arrayValue, checkers.count == 2,
              case .object(let bad) = checkers[1], case .object(let lin) = checkers[0]
        else {
            Issue.record("unexpected results.json: \(results)")
            return
        }
        #expect(r["verdict"] == "invalid")
        #expect(r["exitCode"] == .int(1))
        #expect(r["notes"] == .array(["read this first"]))
        #expect(r["seed"] == "18446744073709551557")
        #expect(lin["verdict"] == "valid")
        #expect(lin["options"] == .object(LinearizabilityPlugin.runSpec(model: "cas-register").options))
        #expect(bad["verdict"] == "invalid")
        #expect(bad["findings"] == .array([.object([
            "kind": "test-kind", "key": "k", "operations": .array([.int(6)]), "prose": "operation 6 is bad\nsecond line of prose",
        ])]))
        guard case .object(let check)? = r["check"] else {
            Issue.record("no linearizability report under check")
            return
        }
        #expect(check["format"] == "schism-check")
        #expect(check["verdict"] == "valid")

        let text = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(text.hasPrefix("Schism test fixture: INVALID\n"))
        #expect(text.contains("  ! read this first"))
        #expect(text.contains("Linearizability check of"))
        #expect(text.contains("Checker bad-ops: INVALID\n1 bad operations\nFindings (1):\n  - test-kind, key \"k\", operation 6:\n    operation 6 is bad\n    second line of prose\n"))
        let html = try String(contentsOfFile: folder.reportHTML, encoding: .utf8)
        #expect(html.contains("<span class=\"badge invalid\">INVALID</span>"))
        #expect(html.contains("<section class=\"check\">\n<h2>Linearizability check</h2>"))
        #expect(html.contains("<h2>Checker bad-ops <span class=\"badge invalid\">INVALID</span></h2>"))
        #expect(html.contains("<strong>test-kind, key &quot;k&quot;, operation 6</strong>"))
        #expect(html.contains("operation 6 is bad\nsecond line of prose</pre>"))
    }

    @Test("without write nothing is written; other specs run instead of the stored ones")
    func checkOnly() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 2), root: root)
        let run = try StoredRun(path: root + "/latest")
        let stored = try RunAnalysis.analyze(run, registry: Self.registry, write: false)
        #expect(stored.verdict == .invalid)
        #expect(stored.outcomes.first?.findings.first?.kind == "nonlinearizable")
        #expect(!FileManager.default.fileExists(atPath: folder.resultsJSON))
        let other = try RunAnalysis.analyze(run, specs: [CheckerSpec("bad-ops")], registry: Self.registry, write: false)
        #expect(other.verdict == .valid)
        let twice = #expect(throws: RunError.self) {
            try RunAnalysis.analyze(run, specs: [CheckerSpec("bad-ops"), CheckerSpec("bad-ops")], registry: Self.registry, write: false)
        }
        #expect(twice?.exitCode == ExitStatus.usage)
    }

    @Test("a checker that cannot read the history gives unknown and exit status 65")
    func unreadable() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var b = HistoryBuilder()
        b.invoke(0, "write", .string("not a number"), key: "k")
        b.ok(0, "write", .string("not a number"), key: "k")
        b.ok(1, "read", .int(1), key: "k")  // a completion with no invocation
        let folder = try RunFixtures.write(b.history, root: root)
        let a = try RunAnalysis.analyze(try StoredRun(path: folder.path), registry: Self.registry, write: true)
        #expect(a.verdict == .unknown)
        #expect(a.exitCode == ExitStatus.dataError)
        let text = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(text.hasPrefix("Schism test fixture: UNKNOWN\n"))
        #expect(text.contains("The history cannot be checked"))
    }
}
