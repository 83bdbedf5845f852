import Basics
import Checkers
import Foundation
import Histories
import Results
import SchismTestKit
import Testing

/// `schism check` and `schism analyze` on run folders, through the real executable.
@Suite(
    "check and analyze a run folder", .serialized,
    .enabled(if: SchismExecutable.path != nil, "the schism executable is not built beside the tests (run swift build first)"))
struct CommandTests {
    /// Runs `schism args` and returns its exit status, standard output and standard error.
    static func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SchismExecutable.path ?? "schism")
        process.arguments = args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test("valid run: check and analyze print VALID and exit 0; analyze rewrites the reports")
    func valid() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 1), root: root)
        for path in [folder.path, root + "/latest", root + "/fixture/latest"] {
            let check = try Self.run(["check", path])
            #expect(check.status == 0, "\(check)")
            #expect(check.out.contains("run \(path): workload fixture, seed 18446744073709551557, 6 history lines"))
            #expect(check.out.contains("  linearizability: VALID: "))
            #expect(check.out.hasSuffix("verdict: VALID\n"), "\(check.out)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.resultsJSON), "check writes nothing")
        let analyze = try Self.run(["analyze", root + "/latest"])
        #expect(analyze.status == 0, "\(analyze)")
        #expect(analyze.out.contains("verdict: VALID\n"))
        #expect(analyze.out.contains("rewrote \(RunFolder.resolvingLinks(folder.resultsJSON))"))
        for file in [folder.resultsJSON, folder.reportText, folder.reportHTML] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
        }
        let text = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(text.hasPrefix("Schism test fixture: VALID\n"))
    }

    @Test("invalid run: check and analyze print INVALID and exit 1, with the checker's explanation")
    func invalid() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 2), root: root)
        let check = try Self.run(["check", root + "/latest"])
        #expect(check.status == 1, "\(check)")
        #expect(check.out.contains("  Failing keys (1): \"k\" (invalid)."))
        #expect(check.out.contains("is not linearizable"))
        #expect(check.out.hasSuffix("verdict: INVALID\n"))
        let json = try Self.run(["check", "--json", folder.path])
        #expect(json.status == 1)
        #expect(json.out.contains("\"verdict\":\"invalid\""))
        let analyze = try Self.run(["analyze", folder.path])
        #expect(analyze.status == 1, "\(analyze)")
        #expect(analyze.out.contains("verdict: INVALID\n"))
        let results = try String(contentsOfFile: folder.resultsJSON, encoding: .utf8)
        #expect(results.contains("\"verdict\":\"invalid\""))
        // Other options: a model that explains nothing here, for this analysis only.
        let register = try Self.run(["analyze", folder.path, "--option", "model=register", "--option", "linearizability.timeoutSeconds=5s"])
        #expect(register.status == 1, "\(register)")
        #expect(try String(contentsOfFile: folder.resultsJSON, encoding: .utf8).contains("\"timeoutSeconds\":5"))
    }

    @Test("errors: flags that do not apply, unknown checkers, a test.json without checkers, a missing run")
    func errors() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 1), record: RunFixtures.record(checkers: []), root: root)
        let model = try Self.run(["check", folder.path, "--model", "register"])
        #expect(model.status == ExitStatus.usage)
        #expect(model.err.contains("--model does not apply to a run folder"))
        let none = try Self.run(["check", folder.path])
        #expect(none.status == ExitStatus.dataError)
        #expect(none.err.contains("\(RunFolder.resolvingLinks(folder.testJSON)): names no checker; known checkers: linearizability"))
        let named = try Self.run(["analyze", folder.path, "--checker", "linearizability"])
        #expect(named.status == 0, "\(named)")
        let unknown = try Self.run(["analyze", folder.path, "--checker", "elle"])
        #expect(unknown.status == ExitStatus.usage)
        let missing = try Self.run(["analyze", root + "/nowhere"])
        #expect(missing.status == ExitStatus.noInput)
        #expect(missing.err.contains("no such run folder"))
    }
}
