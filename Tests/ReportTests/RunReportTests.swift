import Checkers
import Foundation
import Histories
import Report
import Testing

@Suite("Run report")
struct RunReportTests {
    /// A short run: a partition, a kill never stopped, a stale read on key "k", and a valid key "ok".
    static func shortRun() -> History {
        var b = TimedBuilder()
        b.client(0, .invoke, "write", at: 0, key: "ok", .int(5))
        b.client(0, .ok, "write", at: 2, key: "ok", .int(5))
        b.client(0, .invoke, "write", at: 10, .int(1))
        b.client(0, .ok, "write", at: 12, .int(1))
        b.nemesis("start-partition", at: 100, .object(["n1": .array([.string("n2")])]))
        b.client(1, .invoke, "write", at: 200, .int(2))
        b.client(1, .ok, "write", at: 450, .int(2))
        b.client(2, .invoke, "read", at: 1_200)
        b.client(2, .ok, "read", at: 1_203, .int(1))  // stale: 2 was written
        b.client(3, .invoke, "write", at: 1_300, .int(3))
        b.client(3, .fail, "write", at: 1_301, .int(3))
        b.nemesis("stop-partition", at: 1_500)
        b.nemesis("start-kill", at: 2_000, .array([.string("n3")]))
        b.client(4, .invoke, "read", at: 2_100, key: "ok")
        b.client(4, .info, "read", at: 3_100, key: "ok")
        return b.history
    }

    @Test("text: verdict first, notes, run, statistics, faults, failing keys, then the checker's report")
    func textContent() throws {
        let h = Self.shortRun()
        let r = try Fixtures.check(h)
        #expect(r.verdict == .invalid)
        let text = try RunReport.renderText(history: h, result: r, metadata: .sample)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Schism test etcd-register: INVALID")
        #expect(lines[2] == "NOTES (read these first):")
        #expect(lines[3] == "  ! clock faults did not reach etcd: it reads time through the vDSO, not libc")
        #expect(text.contains("database:    etcd 3.4.30"))
        #expect(text.contains("nodes:       5: n1, n2, n3, n4, n5"))
        #expect(text.contains("seed:        42"))
        #expect(text.contains("6 client operations (4 ok, 1 fail, 1 info) in 3.100 s: 1.3 ok/s."))
        #expect(text.contains("  f      ok  fail  info  ok/s  p50      p90      p99      p99.9    max\n"))
        // Writes of 2, 2 and 250 ms: p50 is rank ⌈1.5⌉ = 2, p90 rank ⌈2.7⌉ = 3.
        #expect(text.contains("  write  3   1     0     1.0   2.00 ms  250 ms   250 ms   250 ms   250 ms\n"))
        #expect(text.contains("  read   1   0     1     0.3   3.00 ms  3.00 ms  3.00 ms  3.00 ms  3.00 ms\n"))
        #expect(text.contains("  all    4   1     1     1.3   2.00 ms  250 ms   250 ms   250 ms   250 ms\n"))
        #expect(text.contains("Faults (2):"))
        #expect(text.contains(#"  partition from 0.100000 s to 1.500000 s (1.400 s): {"n1":["n2"]}"#))
        #expect(text.contains(#"  kill from 2.000000 s to the end (never stopped) (1.100 s): ["n3"]"#))
        #expect(text.contains(#"Failing keys (1): "k" (invalid)."#))
        #expect(text.contains("No ok completion in 2.0 s–3.1 s."))
        #expect(text.contains("Linearizability check of run.jsonl: INVALID"))
        #expect(text.contains("Blocking operation"))
        let first = try #require(text.range(of: "INVALID"))
        #expect(text[..<first.lowerBound].count < 40, "the verdict comes first")
    }

    @Test("text without a check result, and with no faults")
    func notChecked() throws {
        var b = TimedBuilder()
        b.client(0, .invoke, "read", at: 0)
        b.client(0, .ok, "read", at: 1, .null)
        let text = try RunReport.renderText(history: b.history, result: nil, metadata: RunMetadata(workload: "w"))
        #expect(text.hasPrefix("Schism test w: NOT CHECKED\n"))
        #expect(text.contains("No faults were recorded."))
        #expect(text.contains("The history was not checked."))
        #expect(!text.contains("NOTES"))
        let html = try RunReport.renderHTML(history: b.history, result: nil, metadata: RunMetadata(workload: "w"))
        #expect(html.contains("NOT CHECKED"))
    }

    @Test("HTML: every value from the history and the metadata is escaped")
    func escaping() throws {
        let evil = "</script><script>alert(1)</script><!--"
        var b = TimedBuilder()
        b.client(0, .invoke, "write", at: 0, key: "<b>k</b>", .string(evil))
        b.client(0, .ok, "write", at: 1, key: "<b>k</b>", .string(evil))
        b.nemesis("start-<i>x</i>", at: 2, .string(evil))
        b.client(1, .invoke, "read", at: 3, key: "<b>k</b>")
        b.client(1, .ok, "read", at: 4, key: "<b>k</b>", .string("x</SCRIPT>y"))
        let h = b.history
        let r = try Fixtures.check(h)
        #expect(r.verdict == .invalid)
        var meta = RunMetadata(workload: "<img src=x onerror=alert(2)>", nodes: ["<n1>"], notes: [evil, "a & b"])
        meta.resultsPath = "/tmp/\"quoted\"'"
        let html = try RunReport.renderHTML(history: h, result: r, metadata: meta)
        #expect(!html.contains("<script>alert"))
        #expect(!html.lowercased().contains("x</script>y"))
        #expect(!html.contains("<b>k</b>"))
        #expect(!html.contains("<i>x</i>"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<n1>"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("a &amp; b"))
        #expect(html.contains("&quot;quoted&quot;&#39;"))
        // Exactly the report's own script elements: the timeline's data and the two scripts.
        #expect(html.components(separatedBy: "<script").count - 1 == 3)
        #expect(html.components(separatedBy: "</script>").count - 1 == 3)
        #expect(!html.contains("<img"))
        #expect(!html.contains("href=\"http"))
    }

    @Test("a 500,000-call run gives a page under 5 MB and a short text report")
    func sizeBound() throws {
        let h = SyntheticRun.make(calls: 500_000)
        #expect(h.operations.count == 1_000_005)
        let clock = ContinuousClock()
        var stats: RunStats?
        let statsTime = try clock.measure { stats = try RunStats(history: h) }
        let s = try #require(stats)
        #expect(s.counts.total == 500_000)
        #expect(s.faults.count == 3)
        #expect(s.faults.last?.isOpen == true)
        var r: CheckResult?
        let checkTime = try clock.measure { r = try Fixtures.check(h, options: CheckOptions()) }
        let result = try #require(r)
        #expect(result.verdict == .invalid)
        var html = ""
        let htmlTime = clock.measure {
            html = RunReport.renderHTML(history: h, result: result, stats: s, metadata: .sample)
        }
        let text = RunReport.renderText(history: h, result: result, stats: s, metadata: .sample)
        print("run report of \(h.operations.count) operations: HTML \(html.utf8.count) bytes in \(htmlTime), text \(text.utf8.count) bytes; stats \(statsTime), check \(checkTime)")
        #expect(html.utf8.count < 5_000_000)
        #expect(text.utf8.count < 100_000)
        // The caption says how many marks were drawn for how many operations.
        let caption = try #require(html.range(of: " marks for 500000 operations"))
        let drawn = Int(html[..<caption.lowerBound].reversed().prefix { $0.isNumber }.reversed().map(String.init).joined())
        #expect((drawn ?? .max) <= 20_000)
        if let dir = ProcessInfo.processInfo.environment["SCHISM_REPORT_DUMP"], !dir.isEmpty {
            try html.write(toFile: dir + "/run-large.html", atomically: true, encoding: .utf8)
            try text.write(toFile: dir + "/run-large.txt", atomically: true, encoding: .utf8)
        }
    }

    @Test("the check report shades fault intervals on the timeline")
    func timelineFaults() throws {
        let h = Self.shortRun()
        let r = try Fixtures.check(h)
        let html = HTMLReport.render(result: r, history: h)
        #expect(html.contains(#""faults":[{"#))
        #expect(html.contains(#""k":"partition""#))
        #expect(html.contains(#""open":false"#))
        #expect(!html.contains(#""k":"kill""#), "the kill starts after the key's last operation")
        if let dir = ProcessInfo.processInfo.environment["SCHISM_REPORT_DUMP"], !dir.isEmpty {
            try html.write(toFile: dir + "/check-faults.html", atomically: true, encoding: .utf8)
            let run = try RunReport.renderHTML(history: h, result: r, metadata: .sample)
            try run.write(toFile: dir + "/run-short.html", atomically: true, encoding: .utf8)
        }
    }
}
