import Checkers
import Foundation
import Histories
import Report
import Testing

@Suite("Text and JSON reports")
struct TextAndJSONReportTests {
    @Test("the text report names the verdict, the blocking operation and the prose")
    func textReport() throws {
        let h = Fixtures.staleRead()
        let r = try Fixtures.check(h)
        #expect(r.verdict == .invalid)
        let text = TextReport.render(result: r, history: h, file: "stale.jsonl")
        #expect(text.hasPrefix("Linearizability check of stale.jsonl: INVALID"))
        #expect(text.contains("Partitions: 1 valid, 1 invalid, 0 unknown."))
        #expect(text.contains("== Key \"k\": INVALID =="))
        let failing = try #require(r.failures.first)
        let a = try #require(failing.anomaly)
        let blocking = try #require(a.blocking)
        #expect(text.contains("Blocking operation \(blocking):"))
        #expect(text.contains(h.operations[blocking].jsonLine))
        #expect(text.contains(a.prose))
        #expect(text.contains("read → 1") || text.contains("read 1"))
        #expect(text.contains("#2"))  // the prefix's order numbers
        #expect(!text.contains("Key \"ok\""))  // valid keys get no section
    }

    @Test("a valid history gives a short report")
    func validText() throws {
        var b = OpBuilder()
        b.call(0, "write", .int(1), .int(1))
        b.call(1, "read", .null, .int(1))
        let r = try Fixtures.check(b.history)
        let text = TextReport.render(result: r, history: b.history)
        #expect(text.contains(": VALID"))
        #expect(text.contains("Every partition is linearizable."))
    }

    @Test("the text report details at most `detailedKeys` failing keys, then counts")
    func boundedKeys() throws {
        var b = OpBuilder()
        for k in 0..<30 {
            b.call(0, "write", key: "k\(k)", .int(1), .int(1))
            b.call(1, "read", key: "k\(k)", .null, .int(9))
        }
        let r = try Fixtures.check(b.history)
        #expect(r.failures.count == 30)
        let text = TextReport.render(result: r, history: b.history, limits: ReportLimits(detailedKeys: 3, namedKeys: 5))
        #expect(text.components(separatedBy: ": INVALID ==").count - 1 == 3)
        #expect(text.contains("27 more failing partitions not shown in detail"))
        #expect(text.contains("and 22 more."))
    }

    @Test("an unknown (timed-out) check says why and does not claim a violation")
    func unknownText() throws {
        let h = Fixtures.staleRead()
        let r = try Fixtures.check(h, options: CheckOptions(timeoutSeconds: 0, parallelism: 1))
        #expect(r.verdict == .unknown)
        let text = TextReport.render(result: r, history: h)
        #expect(text.contains("UNKNOWN"))
        #expect(text.contains("Why unknown: not checked"))
        #expect(!text.contains("is not linearizable"))
    }

    @Test("the JSON report decodes and carries verdicts, the anomaly and timings")
    func jsonReport() throws {
        let h = Fixtures.staleRead()
        let r = try Fixtures.check(h)
        let text = JSONReport.render(result: r, history: h, file: "stale.jsonl")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(root["format"] as? String == "schism-check")
        #expect(root["version"] as? Int == 1)
        #expect(root["verdict"] as? String == "invalid")
        #expect(root["exitCode"] as? Int == 1)
        #expect(root["file"] as? String == "stale.jsonl")
        #expect(root["model"] as? String == "cas-register")
        #expect(root["historyLength"] as? Int == h.operations.count)
        #expect(root["elapsedSeconds"] is Double || root["elapsedSeconds"] is Int)
        let counts = try #require(root["partitionCounts"] as? [String: Int])
        #expect(counts == ["valid": 1, "invalid": 1, "unknown": 0])
        let parts = try #require(root["partitions"] as? [[String: Any]])
        #expect(parts.count == 2)
        let bad = try #require(parts.first { $0["key"] as? String == "k" })
        #expect(bad["verdict"] as? String == "invalid")
        #expect((bad["outcomeCounts"] as? [String: Int])?["fail"] == 1)
        let anomaly = try #require(bad["anomaly"] as? [String: Any])
        let expected = try #require(r.failures.first?.anomaly)
        #expect(anomaly["blocking"] as? Int == expected.blocking)
        #expect(anomaly["prefix"] as? [Int] == expected.prefix.map(\.op))
        #expect(anomaly["prose"] as? String == expected.prose)
        let attempts = try #require(anomaly["attempts"] as? [[String: Any]])
        #expect(attempts.count == expected.attempts.count)
        #expect(attempts.first?["allowed"] is Bool)
        let good = try #require(parts.first { $0["key"] as? String == "ok" })
        #expect(good["anomaly"] is NSNull)
        #expect(good["note"] is NSNull)
    }
}
