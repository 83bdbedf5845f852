import Checkers
import Histories

/// The report of a test run: the checkers' verdict, then throughput, latency and faults, then each
/// checker's part through its renderer, as text (`renderText`) or as one self-contained HTML page
/// (`renderHTML`).
///
/// Both take the statistics computed once with `RunStats(history:)`; `outcomes` is empty when the
/// history was not checked. Bounded in size whatever the run's length. See `docs/reports.md`.
public enum RunReport {
    /// The text report: verdict, notes, run, statistics, faults, then each checker's part.
    public static func renderText(
        history: History, outcomes: [CheckerOutcome], stats: RunStats, metadata: RunMetadata,
        limits: ReportLimits = ReportLimits(), renderers: OutcomeRenderers = .standard
    ) -> String {
        var out: [String] = []
        out.append("Schism test \(metadata.workload): \(verdictText(outcomes))")
        if !metadata.notes.isEmpty {
            out.append("")
            out.append("NOTES (read these first):")
            for n in metadata.notes { out.append("  ! " + n) }
        }
        out.append("")
        out.append(contentsOf: TextReport.aligned(metadata.rows.map { [$0.label + ":", $0.value] }))
        out.append("")
        out.append(summaryLine(stats))
        out.append(contentsOf: TextReport.aligned(statsRows(stats)).map { "  " + $0 })
        if let gaps = gapsLine(stats) { out.append(gaps) }
        out.append("")
        out.append(contentsOf: faultLines(stats, limits))
        if outcomes.isEmpty {
            out.append("")
            out.append("The history was not checked.")
        }
        return out.joined(separator: "\n") + "\n"
            + renderers.text(outcomes, history: history, context: RenderContext(limits: limits, faults: stats.faults))
    }

    /// The text report of a linearizability result (nil: not checked).
    public static func renderText(
        history: History, result: CheckResult?, stats: RunStats, metadata: RunMetadata,
        limits: ReportLimits = ReportLimits()
    ) -> String {
        renderText(history: history, outcomes: outcomes(result), stats: stats, metadata: metadata, limits: limits)
    }

    /// The statistics, then renders the text report; throws if the history does not pair up.
    public static func renderText(
        history: History, result: CheckResult?, metadata: RunMetadata, limits: ReportLimits = ReportLimits()
    ) throws(PairingError) -> String {
        renderText(history: history, result: result, stats: try RunStats(history: history), metadata: metadata, limits: limits)
    }

    /// A linearizability result as the outcomes the reports render.
    static func outcomes(_ result: CheckResult?) -> [CheckerOutcome] {
        result.map { [LinearizabilityCheck.outcome($0)] } ?? []
    }

    /// `VALID`, `INVALID`, `UNKNOWN` (merged over the checkers), or `NOT CHECKED`.
    static func verdictText(_ outcomes: [CheckerOutcome]) -> String {
        outcomes.isEmpty ? "NOT CHECKED" : outcomes.verdict.rawValue.uppercased()
    }

    /// `12345 operations (12000 ok, 300 fail, 45 info) in 60.012 s: 199.96 ok/s.`
    static func summaryLine(_ s: RunStats) -> String {
        let c = s.counts
        var line = "\(Format.count(c.total, "client operation")) (\(c.ok) ok, \(c.fail) fail, \(c.info) info)"
        if let span = s.clientSpanNanos {
            line += " in \(Format.elapsed(Double(span.upperBound - span.lowerBound) / 1e9))"
        }
        if let r = s.okPerSecond { line += ": \(LatencyPercentiles.fixed(r, 1)) ok/s" }
        line += ". Latency of ok operations (completion − invocation):"
        if s.untimedCount > 0 { line += " (\(s.untimedCount) without times left out)" }
        return line
    }

    /// The statistics table: a header, one row per function, and the total.
    static func statsRows(_ s: RunStats) -> [[String]] {
        var rows = [["f", "ok", "fail", "info", "ok/s", "p50", "p90", "p99", "p99.9", "max"]]
        func row(_ name: String, _ c: OutcomeCounts, _ rate: Double?, _ l: LatencyPercentiles?) -> [String] {
            var r = [name, String(c.ok), String(c.fail), String(c.info), rate.map { LatencyPercentiles.fixed($0, 1) } ?? "-"]
            let values = l.map { [$0.p50Nanos, $0.p90Nanos, $0.p99Nanos, $0.p999Nanos, $0.maxNanos] }
            r += values?.map(LatencyPercentiles.text) ?? Array(repeating: "-", count: 5)
            return r
        }
        for f in s.functions {
            rows.append(row(Format.cut(f, 40), s.countsByFunction[f] ?? OutcomeCounts(), s.okPerSecond(f), s.latencyByFunction[f]))
        }
        rows.append(row("all", s.counts, s.okPerSecond, s.latency))
        return rows
    }

    /// The seconds with no ok completion inside the client span, as ranges: where the system was down.
    static func gaps(_ s: RunStats) -> [ClosedRange<Int>] {
        guard let span = s.clientSpanNanos else { return [] }
        let first = Int(max(0, span.lowerBound) / s.bucketNanos), last = Int(span.upperBound / s.bucketNanos)
        var out: [ClosedRange<Int>] = []
        var start: Int?
        for k in first...max(first, last) {
            let empty = k >= s.buckets.count || s.buckets[k].ok == 0
            if empty, start == nil { start = k }
            if !empty, let a = start {
                out.append(a...(k - 1))
                start = nil
            }
        }
        if let a = start { out.append(a...max(first, last)) }
        return out
    }

    /// `No ok completion in 12 s–15 s, 30 s–31 s.`, or nil when every bucket had one.
    static func gapsLine(_ s: RunStats) -> String? {
        let g = gaps(s)
        guard !g.isEmpty else { return nil }
        let width = Double(s.bucketNanos) / 1e9
        let end = Double(s.clientSpanNanos?.upperBound ?? 0) / 1e9
        let text = g.prefix(20).map { r in
            let to = min(Double(r.upperBound + 1) * width, max(end, Double(r.lowerBound) * width))
            return "\(LatencyPercentiles.fixed(Double(r.lowerBound) * width, 1)) s–\(LatencyPercentiles.fixed(to, 1)) s"
        }
        let more = g.count > 20 ? ", and \(g.count - 20) more" : ""
        return "No ok completion in \(text.joined(separator: ", "))\(more)."
    }

    /// `Faults (3):` and one line per fault, at most `limits.namedKeys`.
    static func faultLines(_ s: RunStats, _ limits: ReportLimits) -> [String] {
        guard !s.faults.isEmpty else { return ["No faults were recorded."] }
        var out = ["Faults (\(s.faults.count)):"]
        for f in s.faults.prefix(limits.namedKeys) {
            out.append("  " + Format.cut(PlotFrame.describe(f), 4 * limits.valueChars))
        }
        if s.faults.count > limits.namedKeys { out.append("  … and \(s.faults.count - limits.namedKeys) more.") }
        return out
    }
}
