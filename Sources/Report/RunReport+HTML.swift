import Checkers
import Histories

extension RunReport {
    /// The HTML report: one self-contained page (inline CSS, SVG and script; no network access).
    ///
    /// The verdict and notes come first, then the run's metadata, the statistics table, the latency
    /// scatter plot (at most `maxPoints` marks) and the throughput plot with faults shaded, the fault
    /// list, and each checker's section through its renderer (timelines for the failing keys).
    public static func renderHTML(
        history: History, outcomes: [CheckerOutcome], stats: RunStats, metadata: RunMetadata,
        limits: ReportLimits = ReportLimits(), maxPoints: Int = 20_000, renderers: OutcomeRenderers = .standard
    ) -> String {
        let ops = history.operations
        var stats = stats
        stats.faults = FaultInterval.recoloured(stats.faults, metadata.faultColours)
        let title = "Schism test: \(metadata.workload)"
        let verdict = outcomes.isEmpty ? "unchecked" : outcomes.verdict.rawValue
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(Format.html(title))</title>\n<style>\n\(HTMLStyle.css)\(RunStyle.css)</style>\n</head>\n"
        h += "<body data-rendered=\"0 bars\" data-plots=\"0\">\n<header>\n<h1>\(Format.html(title))</h1>\n"
        h += "<p class=\"summary\"><span class=\"badge \(verdict)\">\(Format.html(verdictText(outcomes)))</span> "
        h += Format.html(headline(outcomes, stats, renderers)) + "</p>\n</header>\n<main>\n"
        if !metadata.notes.isEmpty {
            h += "<section class=\"notes\" role=\"note\"><h2>Read first</h2>\n<ul>\n"
            for n in metadata.notes { h += "<li>\(Format.html(n))</li>\n" }
            h += "</ul>\n</section>\n"
        }
        h += "<dl class=\"meta\">\n"
        for r in metadata.rows { h += "<dt>\(Format.html(r.label))</dt><dd>\(Format.html(r.value))</dd>\n" }
        h += "</dl>\n"
        h += statsSection(stats)
        h += plotsSection(stats, ops: ops, maxPoints: maxPoints)
        h += faultsSection(stats, limits)
        if outcomes.isEmpty {
            h += "<section class=\"check\">\n<h2>Check</h2>\n<p>The history was not checked.</p>\n</section>\n"
        }
        h += renderers.html(outcomes, history: history, context: RenderContext(limits: limits, faults: stats.faults))
        h += "</main>\n<aside id=\"details\" class=\"details\" aria-live=\"polite\">"
        h += "<p class=\"hint\">Hover over or click an operation of a timeline to see its details.</p></aside>\n"
        h += "<footer>Written by Schism. One file, no network access; times are seconds since the test started.</footer>\n"
        h += "<script>\n\(HTMLScript.js)</script>\n<script>\n\(RunStyle.js)</script>\n</body>\n</html>\n"
        return h
    }

    /// The HTML report of a linearizability result (nil: not checked).
    public static func renderHTML(
        history: History, result: CheckResult?, stats: RunStats, metadata: RunMetadata,
        limits: ReportLimits = ReportLimits(), maxPoints: Int = 20_000
    ) -> String {
        renderHTML(history: history, outcomes: outcomes(result), stats: stats, metadata: metadata, limits: limits, maxPoints: maxPoints)
    }

    /// The statistics, then renders the HTML report; throws if the history does not pair up.
    public static func renderHTML(
        history: History, result: CheckResult?, metadata: RunMetadata, limits: ReportLimits = ReportLimits(),
        maxPoints: Int = 20_000
    ) throws(PairingError) -> String {
        renderHTML(
            history: history, result: result, stats: try RunStats(history: history), metadata: metadata,
            limits: limits, maxPoints: maxPoints)
    }

    /// One sentence under the title: the checkers' headlines and the run's throughput and p99.
    static func headline(_ outcomes: [CheckerOutcome], _ s: RunStats, _ renderers: OutcomeRenderers) -> String {
        var parts = [outcomes.isEmpty ? "The history was not checked" : renderers.headline(outcomes)]
        var run = Format.count(s.counts.total, "client operation")
        if let rate = s.okPerSecond { run += ", \(LatencyPercentiles.fixed(rate, 1)) ok/s" }
        if let l = s.latency { run += ", p99 \(LatencyPercentiles.text(l.p99Nanos))" }
        parts.append(run)
        parts.append(Format.count(s.faults.count, "fault"))
        return parts.joined(separator: ". ") + "."
    }

    private static func statsSection(_ s: RunStats) -> String {
        var h = "<section class=\"stats\">\n<h2>Throughput and latency</h2>\n<p>\(Format.html(summaryLine(s)))</p>\n"
        h += "<table class=\"num\">\n"
        let rows = statsRows(s)
        for (i, row) in rows.enumerated() {
            let cell = i == 0 ? "th" : "td"
            h += i == rows.count - 1 ? "<tr class=\"total\">" : "<tr>"
            for c in row { h += "<\(cell)>\(Format.html(c))</\(cell)>" }
            h += "</tr>\n"
        }
        h += "</table>\n"
        if let gaps = gapsLine(s) { h += "<p class=\"gaps\">\(Format.html(gaps))</p>\n" }
        return h + "</section>\n"
    }

    private static func plotsSection(_ s: RunStats, ops: OpLog, maxPoints: Int) -> String {
        let latency = LatencyPlot(stats: s, ops: ops, maxPoints: maxPoints)
        let throughput = ThroughputPlot(stats: s)
        var h = "<section class=\"plots\">\n<h2>Latency over time</h2>\n"
        h += "<p class=\"legend\">\(RunStyle.markLegend)\(faultLegend(s.faults))</p>\n"
        h += "<figure class=\"plot\" data-drawn=\"0\">\n\(latency.svg)<figcaption>"
        var caption = "Each mark is an operation at its invocation time and latency (log scale). "
        if latency.drawn < latency.measured {
            caption += "\(latency.drawn) marks for \(latency.measured) operations: marks on the same pixel are drawn once, "
            caption += "and a long run keeps every fail and info, the slowest ok operations and an even sample of the rest. "
        }
        if latency.openEnded > 0 {
            caption += "\(Format.count(latency.openEnded, "operation")) never completed (no latency; not drawn). "
        }
        h += Format.html(caption) + "<span class=\"readout\"></span></figcaption>\n</figure>\n"
        h += "<h2>Throughput over time</h2>\n<p class=\"legend\">\(RunStyle.rateLegend)\(faultLegend(s.faults))</p>\n"
        h += "<figure class=\"plot\" data-drawn=\"0\">\n\(throughput.svg)<figcaption>"
        let width = Double(s.bucketNanos) / 1e9 * Double(throughput.bucketsPerPoint)
        h += Format.html("Completions per second, by completion time, in buckets of \(LatencyPercentiles.fixed(width, width < 10 ? 1 : 0)) s.")
        return h + "</figcaption>\n</figure>\n</section>\n"
    }

    /// Swatches for the kinds of faults, in the plots' colours.
    private static func faultLegend(_ faults: [FaultInterval]) -> String {
        FaultInterval.kinds(faults).map { kind in
            let colour = faults.first { $0.kind == kind }?.colour ?? ""
            return "<span class=\"sw fault\" style=\"background:\(colour)\"></span>\(Format.html(Format.cut(kind, 40)))"
        }.joined(separator: " ")
    }

    private static func faultsSection(_ s: RunStats, _ limits: ReportLimits) -> String {
        var h = "<section class=\"fault-list\">\n<h2>Faults</h2>\n"
        guard !s.faults.isEmpty else { return h + "<p>No faults were recorded.</p>\n</section>\n" }
        h += "<table>\n<tr><th>kind</th><th>from</th><th>to</th><th>for</th><th>details</th></tr>\n"
        for f in s.faults.prefix(limits.tableRows) {
            let to = f.isOpen ? "end (never stopped)" : Format.time(ns: f.endNanos)
            let from = f.startIndex == nil ? "(no start recorded)" : Format.time(ns: f.startNanos)
            var details = f.summary
            if let stop = f.stopSummary { details += (details.isEmpty ? "" : "; ") + "stop: " + stop }
            h += "<tr><td><span class=\"sw fault\" style=\"background:\(f.colour)\"></span>"
            h += "\(Format.html(Format.cut(f.kind, limits.valueChars)))</td><td>\(Format.html(from))</td><td>\(Format.html(to))</td>"
            h += "<td>\(Format.elapsed(Double(f.endNanos - f.startNanos) / 1e9))</td><td>\(Format.html(details))</td></tr>\n"
        }
        h += "</table>\n"
        if s.faults.count > limits.tableRows {
            h += "<p class=\"more\">\(s.faults.count - limits.tableRows) more faults not listed.</p>\n"
        }
        return h + "</section>\n"
    }
}
