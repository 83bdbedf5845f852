import Checkers
import Foundation
import Histories
import Report
import Testing

@Suite("Run report in a real browser", .serialized)
struct RunBrowserTests {
    /// The number in `name="N"` on the first element whose opening tag contains `tag`.
    static func attribute(_ dom: String, tag: String, _ name: String) -> Int? {
        guard let start = dom.range(of: tag) else { return nil }
        let rest = dom[start.lowerBound...]
        guard let end = rest.firstIndex(of: ">"), let attr = rest[..<end].range(of: "\(name)=\"") else { return nil }
        return Int(rest[attr.upperBound...].prefix { $0.isNumber })
    }

    @Test("Chromium draws both plots and the shaded timeline, with no console errors",
        .enabled(if: Browser.path != nil, Browser.skipMessage), .timeLimit(.minutes(3)))
    func drawsPlots() async throws {
        let h = SyntheticRun.make(calls: 40_000, clients: 12, seconds: 60)
        let s = try RunStats(history: h)
        let r = try Fixtures.check(h, options: CheckOptions())
        #expect(r.verdict == .invalid)
        var meta = RunMetadata.sample
        meta.notes.append("</script><script>alert(3)</script>")
        let html = RunReport.renderHTML(history: h, result: r, stats: s, metadata: meta)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schism-run-\(UUID().uuidString).html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let out = try await Browser.run(file, extra: ["--dump-dom", "--window-size=1400,1000"])
        let plots = try #require(Self.attribute(out.dom, tag: "<body", "data-plots"), "no data-plots on <body>: the script did not run")
        #expect(plots == 2)
        let drawn = try #require(Self.attribute(out.dom, tag: "<figure class=\"plot\"", "data-drawn"))
        #expect(drawn == 3)  // ok dots, info triangles and fail crosses all have a size
        let bars = try #require(Browser.renderedBars(out.dom, element: "body"))
        #expect(bars > 0)
        // The drawing scripts are the last elements; what comes before the first is the drawn page.
        let page = out.dom.range(of: "<script>\n").map { String(out.dom[..<$0.lowerBound]) } ?? out.dom
        #expect(page.contains("class=\"span\""), "the timeline shades the faults")
        #expect(!page.contains("Could not draw"))
        #expect(!page.contains("<script>alert"), "a value broke out of its escaping")
        #expect(!out.log.contains("Uncaught"), "console: \(out.log)")
        #expect(!out.log.contains(":CONSOLE"), "console: \(out.log)")
        if let shot = ProcessInfo.processInfo.environment["SCHISM_REPORT_SCREENSHOT"], !shot.isEmpty {
            try html.write(toFile: shot + ".html", atomically: true, encoding: .utf8)
            _ = try await Browser.run(file, extra: ["--screenshot=\(shot)", "--window-size=1400,1000", "--hide-scrollbars"])
        }
    }
}
