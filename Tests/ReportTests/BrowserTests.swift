import Checkers
import Foundation
import Histories
import Report
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium, when installed: loads a page and returns the DOM after its scripts ran.
enum Browser {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    /// The browser's path, or nil when none is installed.
    static let path: String? = candidates.first { FileManager.default.isExecutableFile(atPath: $0) }

    static let skipMessage: Comment =
        "skipped: no headless Chromium found (install it with `apt-get install -y chromium`; scripts/setup.sh lists it)"

    struct Output {
        var dom: String
        var log: String
    }

    enum Failure: Error, CustomStringConvertible {
        case missing
        case timedOut(seconds: Double)
        case exit(Int32, String)

        var description: String {
            switch self {
            case .missing: return "no browser"
            case .timedOut(let s): return "the browser did not finish within \(s) s and was killed"
            case .exit(let code, let log): return "the browser exited with status \(code): \(log.suffix(2000))"
            }
        }
    }

    /// Runs the browser on `file` with `extra` arguments, killing it by PID after `timeoutSeconds`.
    static func run(_ file: URL, extra: [String], timeoutSeconds: Double = 60) async throws -> Output {
        guard let path else { throw Failure.missing }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schism-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("stdout")
        let err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let p = Foundation.Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
            "--enable-logging=stderr", "--v=0",
        ] + extra + [file.absoluteString]
        p.standardOutput = outHandle
        p.standardError = errHandle
        try p.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while p.isRunning {
            if Date() > deadline {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                throw Failure.timedOut(seconds: timeoutSeconds)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let dom = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let log = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if p.terminationStatus != 0 { throw Failure.exit(p.terminationStatus, log) }
        return Output(dom: dom, log: log)
    }

    /// The number in the first `data-rendered="N bars"` attribute of `element` (e.g. `body`).
    static func renderedBars(_ dom: String, element: String) -> Int? {
        guard let tag = dom.range(of: "<\(element) ") ?? dom.range(of: "<\(element)>") else { return nil }
        let rest = dom[tag.lowerBound...]
        guard let end = rest.firstIndex(of: ">"),
            let attr = rest[..<end].range(of: "data-rendered=\"")
        else { return nil }
        let digits = rest[attr.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }
}

@Suite("HTML report in a real browser", .serialized)
struct BrowserTests {
    @Test("Chromium runs the page's script, draws the timeline and logs no errors",
        .enabled(if: Browser.path != nil, Browser.skipMessage), .timeLimit(.minutes(2)))
    func drawsTimeline() async throws {
        var b = OpBuilder()
        for i in 0..<60 {
            b.invoke(0, "write", .int(Int64(i)))
            b.invoke(1, "read")
            if i == 30 { b.nemesis("partition", .object(["n1": .array([.string("n2")])])) }
            b.complete(0, .ok, "write", .int(Int64(i)))
            b.complete(1, .ok, "read", .int(Int64(i)))
            if i % 10 == 0 { b.call(2, "cas", .array([.int(100), .int(1)]), .array([.int(100), .int(1)]), .fail) }
        }
        b.invoke(3, "write", .int(999))
        b.complete(3, .info, "write", .int(999), error: "timeout")
        b.call(4, "read", .null, .int(12))  // stale
        b.call(5, "write", .string("</script><script>alert(1)</script>"), .string("</script><script>alert(1)</script>"))
        let h = b.history
        let r = try Fixtures.check(h)
        #expect(r.verdict == .invalid)
        let html = HTMLReport.render(result: r, history: h, title: "browser test </script><script>alert(2)</script>")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schism-report-\(UUID().uuidString).html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let out = try await Browser.run(file, extra: ["--dump-dom"])
        let bars = try #require(Browser.renderedBars(out.dom, element: "body"), "no data-rendered on <body>: the script did not run")
        #expect(bars > 0)
        let timeline = try #require(Browser.renderedBars(out.dom, element: "div class=\"timeline\" id=\"tl-0\""))
        #expect(timeline == bars)
        #expect(out.dom.contains("<svg"))
        // The drawing script is the last element; what comes before it is the drawn page.
        let page = out.dom.range(of: "<script>", options: .backwards).map { String(out.dom[..<$0.lowerBound]) } ?? out.dom
        #expect(page.contains("<rect"))
        #expect(!page.contains("Could not draw"))
        #expect(!page.contains("<script>alert"), "a value broke out of its escaping")
        #expect(!out.log.contains("Uncaught"), "console: \(out.log)")
        #expect(!out.log.contains(":CONSOLE"), "console: \(out.log)")
        if let shot = ProcessInfo.processInfo.environment["SCHISM_REPORT_SCREENSHOT"], !shot.isEmpty {
            _ = try await Browser.run(file, extra: ["--screenshot=\(shot)", "--window-size=1400,900", "--hide-scrollbars"])
        }
    }
}
