import Basics
import Checkers
import Foundation
import Histories
import Results
import SchismTestKit

/// Run folders written the way `schism test` writes them, without a cluster.
enum RunFixtures {
    /// A fresh results root under the temporary folder.
    static func root() -> String { NSTemporaryDirectory() + "schism-results-\(UUID().uuidString)" }

    /// Write 1 then read `read` on key "k"; a read of 2 is stale, so not linearizable.
    static func history(read: Int64, badOp: Bool = false) -> History {
        var b = HistoryBuilder()
        b.invoke(0, "write", .int(1), key: "k")
        b.ok(0, "write", .int(1), key: "k")
        b.nemesis("start-partition", .object(["n1": .array([.string("n2")])]))
        b.invoke(1, "read", key: "k")
        b.ok(1, "read", .int(read), key: "k")
        b.nemesis("stop-partition")
        if badOp {
            b.invoke(2, "bad", key: "k")
            b.fail(2, "bad", key: "k")
        }
        return b.history
    }

    /// A record naming `checkers`, as the runner writes it.
    static func record(checkers: [CheckerSpec] = [LinearizabilityPlugin.runSpec(model: "cas-register")]) -> RunRecord {
        RunRecord(
            workload: "fixture", seed: 18_446_744_073_709_551_557, system: "etcd", systemVersion: "3.4.30",
            nodes: [RunRecord.Node(name: "n1", fields: ["host": "10.0.0.1"]), RunRecord.Node(name: "n2")],
            checkers: checkers, timeLimitSeconds: 12, faults: ["partition"], startDate: "2026-12-02T06:00:00Z",
            settings: ["rate": .number(50)], command: ["schism", "test"])
    }

    /// Creates a run folder under `root` holding `record` and `history`, and links it as latest.
    static func write(_ history: History, record: RunRecord = record(), root: String = root()) throws -> RunFolder {
        let folder = try RunFolder.create(root: root, workload: record.workload)
        try folder.write(record.json.jsonText + "\n", to: folder.testJSON)
        try folder.write(history.operations.map(\.jsonLine).joined(separator: "\n") + "\n", to: folder.history)
        try folder.linkLatest()
        return folder
    }
}

/// A test checker: an anomaly of kind `test-kind` for every operation whose `f` is `bad`.
struct BadOpChecker: Checker {
    var name: String { "bad-ops" }

    func check(_ history: History) -> CheckerOutcome {
        let bad = history.operations.filter { $0.f == "bad" && $0.type == .invoke }
        let findings = bad.map {
            Finding(kind: "test-kind", key: $0.key, operations: [$0.index], prose: "operation \($0.index) is bad\nsecond line of prose")
        }
        return CheckerOutcome(
            checker: name, verdict: bad.isEmpty ? .valid : .invalid, summary: "\(bad.count) bad operations", findings: findings)
    }
}

/// The plug-in of ``BadOpChecker``; it takes no options.
struct BadOpPlugin: CheckerPlugin {
    var name: String { "bad-ops" }
    var summary: String { "finds operations named bad" }

    func make(_ options: [String: JSONValue]) throws(CheckerOptionError) -> any Checker {
        if let key = options.keys.first { throw CheckerOptionError(checker: name, option: key, message: "unknown option") }
        return BadOpChecker()
    }
}
