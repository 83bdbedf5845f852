import Basics
import Checkers
import Foundation
import Histories
import Report
import Testing

@Suite("HTML report")
struct HTMLReportTests {
    @Test("the page is self-contained and carries the timeline data")
    func selfContained() throws {
        let h = Fixtures.staleRead()
        let r = try Fixtures.check(h)
        let html = HTMLReport.render(result: r, history: h, title: "stale")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("href=\"http"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(html.contains("class=\"tl-data\""))
        #expect(html.contains("INVALID"))
        #expect(html.contains("\"b\":true"))  // the blocking operation is marked
        #expect(html.contains("is not linearizable"))
    }

    @Test("values cannot break out of the page's script or markup")
    func escaping() throws {
        let evil = JSONValue.string("</script><script>alert(1)</script><!--")
        var b = OpBuilder()
        b.call(0, "write", key: "<b>k</b>", evil, evil)
        b.call(1, "read", key: "<b>k</b>", .null, .string("x</SCRIPT>y"))
        let h = b.history
        let r = try Fixtures.check(h)
        #expect(r.verdict == .invalid)
        let html = HTMLReport.render(result: r, history: h, title: "<title>&")
        #expect(!html.contains("<script>alert"))
        #expect(!html.lowercased().contains("x</script>y"))
        #expect(!html.contains("<b>k</b>"))
        #expect(html.contains("&lt;title&gt;&amp;"))
        // Exactly the report's own script elements: one per timeline and the drawing script.
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        #expect(html.components(separatedBy: "</script>").count - 1 == 2)
        #expect(html.contains("\\u003c/script\\u003e"))
    }

    @Test("a valid result still gives a summary and a table")
    func validPage() throws {
        var b = OpBuilder()
        for k in 0..<700 { b.call(k % 3, "write", key: "k\(k)", .int(1), .int(1)) }
        let r = try Fixtures.check(b.history)
        let html = HTMLReport.render(result: r, history: b.history)
        #expect(html.contains("Every partition is linearizable"))
        #expect(html.contains("<td>&quot;k0&quot;</td>"))
        #expect(html.contains("200 more partitions not listed."))
        #expect(!html.contains("class=\"tl-data\""))
    }

    @Test("a large failing history gives a page of bounded size")
    func boundedSize() throws {
        let h = Fixtures.large(count: 200_000, keys: 4)
        // Every key decided (no early stop), so that a loaded machine cannot leave one unknown.
        let r = try Fixtures.check(h, options: CheckOptions(stopEarly: false))
        #expect(r.verdict == .invalid)
        #expect(r.failures.count == 1, "\(r.failures.map { "\($0.key ?? "-") \($0.verdict) \($0.note ?? "")" })")
        let html = HTMLReport.render(result: r, history: h)
        let bytes = html.utf8.count
        print("HTML report of a \(h.operations.count)-operation history: \(bytes) bytes")
        #expect(bytes < 5_000_000)
        #expect(html.contains("Not drawn:"))
        let text = TextReport.render(result: r, history: h)
        #expect(text.utf8.count < 20_000)
        let json = JSONReport.render(result: r, history: h)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
        if let dir = ProcessInfo.processInfo.environment["SCHISM_REPORT_DUMP"], !dir.isEmpty {
            try html.write(toFile: dir + "/large.html", atomically: true, encoding: .utf8)
            try text.write(toFile: dir + "/large.txt", atomically: true, encoding: .utf8)
            try json.write(toFile: dir + "/large.json", atomically: true, encoding: .utf8)
        }
    }

    @Test("many failing keys: only `detailedKeys` timelines")
    func manyFailingKeys() throws {
        var b = OpBuilder()
        for k in 0..<40 {
            for i in 0..<300 { b.call(i % 4, "write", key: "k\(k)", .int(Int64(i)), .int(Int64(i))) }
            b.call(5, "read", key: "k\(k)", .null, .int(3))
        }
        let r = try Fixtures.check(b.history)
        #expect(r.failures.count == 40)
        let html = HTMLReport.render(result: r, history: b.history)
        #expect(html.components(separatedBy: "class=\"tl-data\"").count - 1 == 10)
        #expect(html.contains("30 more failing partitions without a timeline"))
        #expect(html.utf8.count < 2_000_000)
    }
}
