import Basics
import Checkers
import Foundation
import Histories
import Report
import Testing

@Suite("Outcome renderers", .serialized)
struct RendererTests {
    /// An outcome of a checker Report knows nothing of, with `count` findings whose text tries to break out.
    static func foreign(count: Int) -> CheckerOutcome {
        let evil = "</script><script>alert(4)</script>"
        let findings = (0..<count).map {
            Finding(kind: "lost-<b>write</b>", key: "k\($0)", operations: Array(0..<12), prose: "write \($0) was lost: \(evil)")
        }
        return CheckerOutcome(checker: "set-<i>full</i>", verdict: .invalid, summary: "\(count) lost writes \(evil)", findings: findings)
    }

    @Test("a checker with no renderer of its own gets its findings, bounded and escaped")
    func findings() throws {
        let h = RunReportTests.shortRun()
        var limits = ReportLimits()
        limits.detailedKeys = 2
        limits.namedKeys = 3
        let r = OutcomeRenderers.standard.renderer(for: "set-<i>full</i>")
        #expect(r is FindingsRenderer)
        let text = r.text(Self.foreign(count: 7), history: h, context: RenderContext(limits: limits))
        #expect(text.hasPrefix("Checker set-<i>full</i>: INVALID\n7 lost writes "))
        #expect(text.contains("Findings (7):\n  - lost-<b>write</b>, key \"k0\", operations 0, 1, 2, 3, 4, 5, 6, 7 and 4 more:\n    write 0 was lost"))
        #expect(text.contains("  5 more findings: lost-<b>write</b> (\"k2\"), lost-<b>write</b> (\"k3\"), lost-<b>write</b> (\"k4\"), and 2 more.\n"))
        #expect(!text.contains("write 2 was lost"))
        let html = r.html(Self.foreign(count: 7), history: h, context: RenderContext(limits: limits))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<i>"))
        #expect(html.components(separatedBy: "<li>").count - 1 == 2)
    }

    @Test("the run report: verdicts merged, each checker's part through its renderer")
    func runReport() throws {
        let h = RunReportTests.shortRun()
        let lin = LinearizabilityCheck.outcome(try Fixtures.check(h))
        let valid = CheckerOutcome(checker: "other", verdict: .valid, summary: "nothing found")
        let stats = try RunStats(history: h)
        let text = RunReport.renderText(history: h, outcomes: [valid, lin], stats: stats, metadata: .sample)
        #expect(text.hasPrefix("Schism test etcd-register: INVALID\n"))
        #expect(text.contains("\nChecker other: VALID\nnothing found\n\nFailing keys (1): \"k\" (invalid).\n\nLinearizability check of run.jsonl: INVALID\n"))
        let alone = RunReport.renderText(history: h, outcomes: [valid], stats: stats, metadata: .sample)
        #expect(alone.hasPrefix("Schism test etcd-register: VALID\n"))
        let html = RunReport.renderHTML(history: h, outcomes: [valid, lin], stats: stats, metadata: .sample)
        #expect(html.contains("<span class=\"badge invalid\">INVALID</span> other: nothing found; Model cas-register, partitions: 1 valid, 1 invalid, 0 unknown."))
        #expect(html.contains("<h2>Checker other <span class=\"badge valid\">VALID</span></h2>"))
        #expect(html.contains("<h2>Linearizability check</h2>"))
    }

    @Test("Chromium draws a page with a timeline and a findings section, with no console errors",
        .enabled(if: Browser.path != nil, Browser.skipMessage), .timeLimit(.minutes(2)))
    func browser() async throws {
        let h = RunReportTests.shortRun()
        let outcomes = [LinearizabilityCheck.outcome(try Fixtures.check(h)), Self.foreign(count: 3)]
        let html = RunReport.renderHTML(history: h, outcomes: outcomes, stats: try RunStats(history: h), metadata: .sample)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schism-renderers-\(UUID().uuidString).html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = try await Browser.run(file, extra: ["--dump-dom", "--window-size=1400,1000"])
        let bars = try #require(Browser.renderedBars(out.dom, element: "body"), "no data-rendered on <body>: the script did not run")
        #expect(bars > 0)
        let page = out.dom.range(of: "<script>\n").map { String(out.dom[..<$0.lowerBound]) } ?? out.dom
        #expect(page.contains("<ol class=\"findings\">"))
        #expect(!page.contains("<script>alert"))
        #expect(!out.log.contains("Uncaught"), "console: \(out.log)")
        #expect(!out.log.contains(":CONSOLE"), "console: \(out.log)")
    }
}
