import Basics
import Checkers
import Foundation
import Histories
import Report
import Testing

@Suite("Report sizes on large histories")
struct LargeHistoryTests {
    @Test("long values and many failing keys: the page stays small")
    func longValuesManyKeys() throws {
        var b = OpBuilder()
        let long = String(repeating: "x</script>", count: 500)
        for k in 0..<25 {
            for i in 0..<400 {
                let v = JSONValue.string("\(i)" + long)
                b.invoke(0, "write", key: "key-\(k)-" + long, v)
                b.invoke(1, "read", key: "key-\(k)-" + long)
                b.complete(0, .ok, "write", key: "key-\(k)-" + long, v)
                b.complete(1, .ok, "read", key: "key-\(k)-" + long, i == 300 ? .string("stale") : v)
            }
        }
        let h = b.history
        let r = try Fixtures.check(h, options: CheckOptions())
        #expect(r.failures.count == 25)
        let html = HTMLReport.render(result: r, history: h)
        print("HTML report, 25 failing keys with 5,000-character values: \(html.utf8.count) bytes")
        #expect(html.utf8.count < 5_000_000)
        #expect(!html.contains("x</script>"))
        let text = TextReport.render(result: r, history: h)
        print("text report of the same: \(text.utf8.count) bytes")
        #expect(text.utf8.count < 200_000)
    }

    @Test("a million operations (set SCHISM_REPORT_MILLION=1 to run; slow in debug builds)",
        .enabled(if: ProcessInfo.processInfo.environment["SCHISM_REPORT_MILLION"] != nil))
    func million() throws {
        let h = Fixtures.large(count: 1_000_000, keys: 8)
        let r = try Fixtures.check(h, options: CheckOptions())
        #expect(r.verdict == .invalid)
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = HTMLReport.render(result: r, history: h) }
        print("HTML report of a \(h.operations.count)-operation history: \(html.utf8.count) bytes in \(elapsed)")
        #expect(html.utf8.count < 5_000_000)
    }
}
