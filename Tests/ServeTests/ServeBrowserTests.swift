import Basics
import Foundation
import Results
import Testing

/// The index of `schism serve` in a real headless Chromium: it renders with no console errors,
/// the filter works, and a click opens a run's report.
@Suite("schism serve in a real browser", .serialized)
struct ServeBrowserTests {
    @Test("index renders cleanly, the verdict filter works, a click opens the report",
        .enabled(if: DevTools.browser != nil, "skipped: no headless Chromium (apt-get install -y chromium; scripts/setup.sh lists it)"),
        .timeLimit(.minutes(3)))
    func indexFilterAndClick() async throws {
        let root = try ServeFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        for (i, (workload, read)) in [("etcd-register", 1), ("etcd-register", 2), ("redis-register", 1), ("etcd-register", 1),
                                       ("postgres-append", 1), ("redis-register", 2)].enumerated() {
            try ServeFixtures.run(root: root, workload: workload, read: Int64(read), date: t + Double(i) * 3600)
        }
        try ServeFixtures.run(root: root, workload: "etcd-register", read: 1, date: t + 7 * 3600, analyse: false)
        try await ServeFixtures.withServer(root: root) { port in
            let browser = try DevTools()
            defer { browser.close() }
            let index = "http://127.0.0.1:\(port)/"
            try browser.open(index)
            let rows = try browser.eval("Array.from(document.querySelectorAll('#runs tbody tr')).map(r => r.className).join(',')")
            #expect(rows == .string("crashed,invalid,valid,valid,valid,invalid,valid"))
            let colour = try browser.eval("getComputedStyle(document.querySelector('tr.invalid td.v')).backgroundColor")
            #expect(colour == .string("rgb(248, 208, 208)"))
            if let path = ProcessInfo.processInfo.environment["SCHISM_SERVE_SCREENSHOT"] {
                try browser.call("Emulation.setDeviceMetricsOverride", [
                    "width": 1100, "height": 420, "deviceScaleFactor": 1, "mobile": false,
                ])
                let shot = try browser.call("Page.captureScreenshot", ["format": "png"])
                if case .object(let o) = shot, let data = o["data"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) {
                    try data.write(to: URL(fileURLWithPath: path))
                }
            }

            // The filter: choosing a verdict reloads the index with only those runs.
            _ = try browser.eval("(() => { const s = document.getElementById('verdict'); s.value = 'invalid'; s.dispatchEvent(new Event('change')); return 1 })()")
            _ = try browser.waitFor { $0.contains("verdict=invalid") }
            let filtered = try browser.eval("Array.from(document.querySelectorAll('#runs tbody tr')).map(r => r.className).join(',')")
            #expect(filtered == .string("invalid,invalid"))
            #expect(try browser.eval("document.getElementById('verdict').value") == .string("invalid"))

            // A click on a run opens its report.
            _ = try browser.eval("document.querySelector('a.run').click(), 1")
            let report = try browser.waitFor { $0.contains("/runs/") }
            #expect(report.hasSuffix("/"), "\(report)")
            let title = try browser.eval("document.title")
            #expect(title.stringValue?.contains("Schism") == true, "\(title)")
            let text = try browser.eval("document.body.innerText")
            #expect(text.stringValue?.contains("INVALID") == true || text.stringValue?.contains("invalid") == true)
            #expect(browser.errors.isEmpty, "console errors: \(browser.errors)")
        }
    }
}
