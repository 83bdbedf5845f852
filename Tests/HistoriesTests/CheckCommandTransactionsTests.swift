import Foundation
import SchismTestKit
import Testing
@testable import Histories

/// `schism generate --model list-append` and `schism check --checker list-append|rw-register`:
/// verdicts, exit statuses, the JSON anomaly names, and the errors for a bad model or history.
@Suite(
    .serialized,
    .enabled(if: SchismExecutable.path != nil, "the schism executable is not built beside the tests (run swift build first)"))
struct CheckCommandTransactionsTests {
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        try CheckCommandReadingTests.run(args)
    }

    @Test func aWriteSkewIsInvalidForSerializableAndValidForSnapshotIsolation() throws {
        let path = TempFile.path(suffix: ".jsonl")
        defer { TempFile.remove(path) }
        let made = try run(["generate", "--model", "list-append", "--ops", "300", "--anomaly", "G2-item", "-o", path])
        #expect(made.status == 0, "\(made)")
        let strict = try run(["check", path, "--checker", "list-append"])
        #expect(strict.status == 1, "\(strict)")
        #expect(strict.out.contains("G2-item: a cycle of 2 transactions"), "\(strict.out)")
        #expect(strict.out.contains("strongest model still consistent: strong-snapshot-isolation"))
        let si = try run(["check", path, "--checker", "list-append", "--consistency", "snapshot-isolation"])
        #expect(si.status == 0, "\(si)")
        let json = try run(["check", path, "--checker", "list-append", "--json"])
        #expect(json.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["anomalyTypes"] as? [String] == ["G2-item"], "\(json.out)")
    }

    @Test func anUnknownModelListsTheKnownOnes() throws {
        let r = try run(["check", "/dev/null", "--checker", "rw-register", "--consistency", "causal+"])
        #expect(r.status == 64)
        #expect(r.err.contains("unknown consistency model \"causal+\"") && r.err.contains("snapshot-isolation, serializable"), "\(r.err)")
        let wrong = try run(["check", "/dev/null", "--consistency", "serializable"])
        #expect(wrong.status == 64)
        #expect(wrong.err.contains("--consistency applies to --checker list-append or rw-register"), "\(wrong.err)")
    }

    @Test func aHistoryThatIsNotTransactionsIsUnreadable() throws {
        let text = """
            {"process":0,"type":"invoke","f":"txn","value":[["append",1,1]]}
            {"process":0,"type":"ok","f":"txn","value":[["append",1,1]]}
            {"process":0,"type":"invoke","f":"txn","value":[["append",1,1]]}
            {"process":0,"type":"ok","f":"txn","value":[["append",1,1]]}

            """
        try TempFile.with(text, suffix: ".jsonl") { path in
            let r = try run(["check", path, "--checker", "list-append"])
            #expect(r.status == 65, "\(r)")
            #expect(r.out.contains("value 1 is appended to key 1 twice (operations 0 and 2)"), "\(r)")
        }
    }
}
