import Checkers
import Histories

/// The linearizability checker's renderer: the failing keys, each key's prose, prefix and
/// candidates (``TextReport``), and a timeline per failing key (``HTMLReport``).
///
/// It reads the ``CheckResult`` that ``LinearizabilityCheck`` leaves as the outcome's payload; an
/// outcome without one (the history could not be checked) is rendered as findings.
public struct LinearizabilityRenderer: OutcomeRenderer {
    /// The renderer; it holds nothing.
    public init() {}

    /// `linearizability`.
    public var checker: String { "linearizability" }

    public func text(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String {
        guard let r = outcome.payload as? CheckResult else { return fallback.text(outcome, history: history, context: context) }
        return Self.failingKeysLine(r, context.limits) + "\n\n"
            + TextReport.render(result: r, history: history, file: context.file, limits: context.limits)
    }

    public func html(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String {
        guard let r = outcome.payload as? CheckResult else { return fallback.html(outcome, history: history, context: context) }
        let limits = context.limits
        let ops = history.operations
        var h = "<section class=\"check\">\n<h2>Linearizability check</h2>\n"
        h += "<p>" + Format.html(
            "Model \(r.model); \(Format.count(r.operationCount, "operation")) in "
                + "\(Format.count(r.partitions.count, "partition")), checked in \(Format.elapsed(r.elapsedSeconds)). "
                + TextReport.countsLine(r)) + "</p>\n"
        let failures = r.failures
        if failures.isEmpty {
            h += "<p class=\"ok-note\">Every partition is linearizable: some order of the operations explains every result.</p>\n"
        } else {
            // The keys with a section link to it, as in the partition table.
            let named = failures.prefix(max(limits.detailedKeys, limits.namedKeys)).enumerated().map { n, p in
                let text = Format.html("\(Format.key(p.key, limits.valueChars)) (\(p.verdict.rawValue))")
                return n < limits.detailedKeys ? "<a href=\"#key-\(n)\">\(text)</a>" : text
            }
            let more = failures.count > named.count ? ", and \(failures.count - named.count) more" : ""
            h += "<p class=\"failing-keys\">Failing keys (\(failures.count)): \(named.joined(separator: ", "))\(more).</p>\n"
            h += "<p class=\"omitted\">Hover over or click an operation of a timeline to see its details.</p>\n"
            h += "<p class=\"legend\">" + HTMLReport.legend + "</p>\n"
        }
        for (n, p) in failures.prefix(limits.detailedKeys).enumerated() {
            h += HTMLReport.section(p, number: n, ops: ops, limits: limits, faults: context.faults)
        }
        let rest = failures.dropFirst(limits.detailedKeys)
        if !rest.isEmpty {
            h += "<p class=\"more\">\(Format.html(Format.count(rest.count, "more failing partition"))) "
            h += "without a timeline; they are listed in the table below.</p>\n"
        }
        return h + HTMLReport.table(r.partitions, ops: ops, limits: limits) + "</section>\n"
    }

    public func headline(_ outcome: CheckerOutcome) -> String {
        guard let r = outcome.payload as? CheckResult else { return fallback.headline(outcome) }
        return "Model \(r.model), partitions: \(TextReport.countsLine(r).dropFirst("Partitions: ".count).dropLast())"
    }

    private var fallback: FindingsRenderer { FindingsRenderer(checker: checker) }

    /// `Failing keys (2): "k1" (invalid), "k3" (unknown).` or that none failed.
    static func failingKeysLine(_ r: CheckResult, _ limits: ReportLimits) -> String {
        let failures = r.failures
        guard !failures.isEmpty else { return "No key failed: every partition is linearizable." }
        let shown = failures.prefix(limits.namedKeys).map { "\(Format.key($0.key, limits.valueChars)) (\($0.verdict.rawValue))" }
        let more = failures.count > shown.count ? ", and \(failures.count - shown.count) more" : ""
        return "Failing keys (\(failures.count)): \(shown.joined(separator: ", "))\(more)."
    }
}
