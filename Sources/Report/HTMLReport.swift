import Checkers
import Histories

/// A self-contained HTML page for a check: the merged verdict, then each checker's section through
/// its renderer (for linearizability: a summary, a timeline per failing key and the partition table).
///
/// One file with inline CSS and script, no network. Its size is bounded whatever the history's
/// length: at most `limits.detailedKeys` timelines, each drawing a window of operations around the
/// anomaly (see `TimelineWindow`), and at most `limits.tableRows` table rows. See `docs/reports.md`.
public enum HTMLReport {
    /// Renders the page of a linearizability result; `title` defaults to the history's source;
    /// `faultColours` maps fault family names to the colours of their shaded intervals.
    public static func render(
        result: CheckResult, history: History, title: String? = nil, limits: ReportLimits = ReportLimits(),
        faultColours: [String: String] = [:]
    ) -> String {
        render(outcomes: [LinearizabilityCheck.outcome(result)], history: history, title: title, limits: limits, faultColours: faultColours)
    }

    /// Renders the page of the outcomes of any checkers, each through its renderer.
    public static func render(
        outcomes: [CheckerOutcome], history: History, title: String? = nil, limits: ReportLimits = ReportLimits(),
        faultColours: [String: String] = [:], renderers: OutcomeRenderers = .standard
    ) -> String {
        let ops = history.operations
        let name = title ?? history.source.map { "Schism check: \($0)" } ?? "Schism check"
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(Format.html(name))</title>\n<style>\n\(HTMLStyle.css)</style>\n</head>\n"
        h += "<body data-rendered=\"0 bars\">\n<header>\n<h1>\(Format.html(name))</h1>\n"
        let v = outcomes.verdict.rawValue
        h += "<p class=\"summary\"><span class=\"badge \(v)\">\(v.uppercased())</span> "
        h += Format.html(renderers.headline(outcomes)) + "</p>\n</header>\n<main>\n"
        let faults = outcomes.verdict == .valid ? [] : FaultInterval.intervals(in: ops, summaryChars: limits.valueChars, colours: faultColours)
        h += renderers.html(outcomes, history: history, context: RenderContext(limits: limits, faults: faults))
        h += "</main>\n<aside id=\"details\" class=\"details\" aria-live=\"polite\">"
        h += "<p class=\"hint\">Hover over or click an operation to see its details.</p></aside>\n"
        h += "<footer>Written by Schism. One file, no network access; times are since the test started.</footer>\n"
        h += "<script>\n\(HTMLScript.js)</script>\n</body>\n</html>\n"
        return h
    }

    /// The timeline's colour key.
    static let legend =
        "<span class=\"sw prefix\"></span> in the longest linearizable prefix (#order) "
        + "<span class=\"sw blocking\"></span> blocking operation "
        + "<span class=\"sw candidate\"></span> other candidate "
        + "<span class=\"sw ok\"></span> ok "
        + "<span class=\"sw fail\"></span> fail (no effect) "
        + "<span class=\"sw info\"></span> info (unknown outcome, open-ended) "
        + "<span class=\"sw nemesis\"></span> fault event "
        + "<span class=\"sw span\"></span> fault in effect (shaded)"

    /// One failing partition: prose, candidates, what is left out, and the timeline's data (with
    /// the `faults` that overlap it, shaded).
    static func section(
        _ p: PartitionResult, number n: Int, ops: OpLog, limits: ReportLimits, faults: [FaultInterval] = []
    ) -> String {
        let keyText = p.key == nil ? "Whole history" : "Key \(Format.key(p.key, limits.valueChars))"
        var h = "<section class=\"key\" id=\"key-\(n)\">\n"
        h += "<h2>\(Format.html(keyText)) <span class=\"badge \(p.verdict.rawValue)\">\(p.verdict.rawValue.uppercased())</span></h2>\n"
        h += "<p>\(Format.html("\(Format.count(p.calls.count, "operation")), \(p.searchedCount) searched, \(Format.elapsed(p.elapsedSeconds))."))</p>\n"
        if let note = p.note { h += "<p class=\"note\">Why unknown: \(Format.html(note)).</p>\n" }
        if let a = p.anomaly {
            if p.verdict == .invalid {
                let prose = TextReport.proseLines(a.prose, limits).joined(separator: "\n")
                h += "<pre class=\"prose\">\(Format.html(prose))</pre>\n"
            } else {
                h += "<p>\(Format.html("When it stopped, the longest linearizable prefix found had \(Format.count(a.prefix.count, "operation")), leaving the state at \(Format.cut(a.stateAfterPrefix, limits.valueChars)))."))</p>\n"
            }
        }
        let window = TimelineWindow(partition: p, ops: ops, limits: limits, faults: faults)
        if let omitted = window.omittedText(ops) { h += "<p class=\"omitted\">\(Format.html(omitted))</p>\n" }
        h += "<div class=\"controls\" data-for=\"tl-\(n)\"></div>\n"
        h += "<div class=\"timeline\" id=\"tl-\(n)\" data-rendered=\"0 bars\"><p class=\"noscript\">The timeline needs JavaScript.</p></div>\n"
        h += "<script type=\"application/json\" class=\"tl-data\" data-target=\"tl-\(n)\">"
        h += Format.scriptJSON(window.data)
        h += "</script>\n</section>\n"
        return h
    }

    /// The partition table: failing partitions first, then valid ones, at most `limits.tableRows` rows.
    static func table(
        _ partitions: [PartitionResult], ops: OpLog, limits: ReportLimits
    ) -> String {
        let ordered = partitions.filter { $0.verdict != .valid } + partitions.filter { $0.verdict == .valid }
        var h = "<section class=\"partitions\">\n<h2>Partitions</h2>\n<table>\n<thead><tr>"
        h += "<th>key</th><th>verdict</th><th>operations</th><th>ok</th><th>fail</th><th>info</th>"
        h += "<th>searched</th><th>time</th><th>from</th><th>to</th><th>note</th></tr></thead>\n<tbody>\n"
        // Failing partitions come first in both the table and the sections, in the same order.
        for (row, p) in ordered.prefix(limits.tableRows).enumerated() {
            var ok = 0, fail = 0, info = 0
            for c in p.calls {
                switch c.outcome {
                case .ok: ok += 1
                case .fail: fail += 1
                default: info += 1
                }
            }
            var keyCell = Format.html(Format.key(p.key, limits.valueChars))
            if p.verdict != .valid, row < limits.detailedKeys {
                keyCell = "<a href=\"#key-\(row)\">\(keyCell)</a>"
            }
            let from = p.calls.first.flatMap { ops[$0.invoke].time }.map(Format.time) ?? ""
            let to = p.calls.last.flatMap { ops[$0.completion ?? $0.invoke].time }.map(Format.time) ?? ""
            h += "<tr class=\"\(p.verdict.rawValue)\"><td>\(keyCell)</td><td>\(p.verdict.rawValue)</td>"
            h += "<td>\(p.calls.count)</td><td>\(ok)</td><td>\(fail)</td><td>\(info)</td><td>\(p.searchedCount)</td>"
            h += "<td>\(Format.elapsed(p.elapsedSeconds))</td><td>\(from)</td><td>\(to)</td>"
            h += "<td>\(Format.html(Format.cut(p.note ?? "", limits.valueChars)))</td></tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if ordered.count > limits.tableRows {
            h += "<p class=\"more\">\(ordered.count - limits.tableRows) more partitions not listed.</p>\n"
        }
        return h + "</section>\n"
    }
}
