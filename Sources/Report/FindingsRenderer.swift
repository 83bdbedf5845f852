import Checkers
import Histories

/// The renderer of any checker without its own: the verdict, the summary, why it is unknown, and
/// each finding's kind, key, operations and prose.
///
/// Bounded like the other reports: `limits.detailedKeys` findings with their prose, up to
/// `limits.namedKeys` more by kind and key, then a count.
public struct FindingsRenderer: OutcomeRenderer {
    /// The checker whose outcomes this renders.
    public var checker: String

    /// A renderer for `checker`'s outcomes.
    public init(checker: String) {
        self.checker = checker
    }

    public func text(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String {
        let limits = context.limits
        var out = ["Checker \(outcome.checker): \(outcome.verdict.rawValue.uppercased())", outcome.summary]
        out += notes(outcome).map { $0 + "." }
        if !outcome.findings.isEmpty { out.append("Findings (\(outcome.findings.count)):") }
        for f in outcome.findings.prefix(limits.detailedKeys) {
            out.append("  - \(heading(f, limits)):")
            out += TextReport.proseLines(f.prose, limits).map { "    " + $0 }
        }
        if let more = moreLine(outcome.findings, limits) { out.append("  " + more) }
        return out.joined(separator: "\n") + "\n"
    }

    public func html(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String {
        let limits = context.limits
        let v = outcome.verdict.rawValue
        var h = "<section class=\"check\" id=\"checker-\(Format.html(outcome.checker))\">\n"
        h += "<h2>Checker \(Format.html(outcome.checker)) <span class=\"badge \(v)\">\(v.uppercased())</span></h2>\n"
        h += "<p>\(Format.html(outcome.summary))</p>\n"
        for n in notes(outcome) { h += "<p class=\"note\">\(Format.html(n)).</p>\n" }
        if !outcome.findings.isEmpty {
            h += "<ol class=\"findings\">\n"
            for f in outcome.findings.prefix(limits.detailedKeys) {
                h += "<li><strong>\(Format.html(heading(f, limits)))</strong>\n"
                h += "<pre class=\"prose\">\(Format.html(TextReport.proseLines(f.prose, limits).joined(separator: "\n")))</pre></li>\n"
            }
            h += "</ol>\n"
        }
        if let more = moreLine(outcome.findings, limits) { h += "<p class=\"more\">\(Format.html(more))</p>\n" }
        return h + "</section>\n"
    }

    /// Why the verdict is unknown and what is wrong with the history, when the outcome says.
    private func notes(_ o: CheckerOutcome) -> [String] {
        var out: [String] = []
        if let r = o.unknownReason, r != o.historyError { out.append("Why unknown: \(r)") }
        if let e = o.historyError { out.append("The history cannot be checked: \(e)") }
        return out
    }

    /// `lost-write, key "k3", operations 12, 40`.
    private func heading(_ f: Finding, _ limits: ReportLimits) -> String {
        var parts = [Format.cut(f.kind, limits.valueChars)]
        if let key = f.key { parts.append("key \(Format.key(key, limits.valueChars))") }
        if !f.operations.isEmpty {
            let shown = f.operations.prefix(limits.prefixTail).map(String.init).joined(separator: ", ")
            let more = f.operations.count > limits.prefixTail ? " and \(f.operations.count - limits.prefixTail) more" : ""
            parts.append("\(f.operations.count == 1 ? "operation" : "operations") \(shown)\(more)")
        }
        return parts.joined(separator: ", ")
    }

    /// The findings beyond the detailed ones, by kind and key, then counted; nil when none.
    private func moreLine(_ findings: [Finding], _ limits: ReportLimits) -> String? {
        let rest = findings.dropFirst(limits.detailedKeys)
        guard !rest.isEmpty else { return nil }
        let named = rest.prefix(limits.namedKeys).map { f in
            f.key.map { "\(Format.cut(f.kind, limits.valueChars)) (\(Format.key($0, limits.valueChars)))" } ?? Format.cut(f.kind, limits.valueChars)
        }
        let more = rest.count > named.count ? ", and \(rest.count - named.count) more" : ""
        return "\(Format.count(rest.count, "more finding")): \(named.joined(separator: ", "))\(more)."
    }
}
