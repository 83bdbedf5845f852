import Foundation
import Report
import Results

/// The index of runs as one HTML page: a table coloured by verdict, filters by workload and
/// verdict, newest first, ``pageSize`` runs a page.
enum IndexPage {
    /// Runs per page.
    static let pageSize = 100
    /// The verdicts a run can show, in the filter's order.
    static let verdicts = ["valid", "invalid", "unknown", "failed", "crashed"]

    /// What the query string asks for.
    struct Query: Equatable {
        var workload: String?
        var verdict: String?
        var page = 1
    }

    /// The page for `entries` (already newest first) filtered and paged by `query`.
    static func render(_ entries: [RunIndex.Entry], query: Query, root: String) -> String {
        let workloads = Array(Set(entries.map(\.summary.workload))).sorted()
        let shown = entries.filter { e in
            (query.workload.map { e.summary.workload == $0 } ?? true) && (query.verdict.map { e.summary.verdict == $0 } ?? true)
        }
        let pages = max(1, (shown.count + pageSize - 1) / pageSize)
        let page = min(max(1, query.page), pages)
        let slice = shown.dropFirst((page - 1) * pageSize).prefix(pageSize)
        var counts: [String: Int] = [:]
        for e in shown { counts[e.summary.verdict, default: 0] += 1 }

        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Schism results</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em;margin:0 0 .3em}
            table{border-collapse:collapse;width:100%}
            th,td{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}
            th{background:#f4f4f4;position:sticky;top:0}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.valid td.v{background:#d9f2d9;color:#1a5e1a}
            tr.invalid td.v{background:#f8d0d0;color:#8a1010;font-weight:bold}
            tr.unknown td.v{background:#fbeec2;color:#6b5200}
            tr.crashed td.v{background:#e0d8f0;color:#4b2a80}
            tr.failed td.v{background:#e8e8e8;color:#444}
            tr:hover td{background-color:#f8f8ff}
            form{margin:.8em 0}
            .muted{color:#777}
            nav a{margin-right:1em}
            </style></head>
            <body data-runs="\(shown.count)">
            <h1>Schism results</h1>
            <p class="muted">\(Format.html(root)): \(entries.count) runs; shown \(shown.count)\(counts.isEmpty ? "" : " (" + verdicts.compactMap { v in counts[v].map { "\($0) \(v)" } }.joined(separator: ", ") + ")")</p>
            <form id="filter" method="get" action="/">
            <label>Workload <select name="workload" id="workload"><option value="">all</option>
            """
        for w in workloads {
            h += "<option value=\"\(Format.html(w))\"\(w == query.workload ? " selected" : "")>\(Format.html(w))</option>"
        }
        h += "</select></label>\n<label>Verdict <select name=\"verdict\" id=\"verdict\"><option value=\"\">all</option>"
        for v in verdicts {
            h += "<option value=\"\(v)\"\(v == query.verdict ? " selected" : "")>\(v)</option>"
        }
        h += """
            </select></label>
            <noscript><button type="submit">Filter</button></noscript>
            </form>
            <table id="runs"><thead><tr><th>Started</th><th>Workload</th><th>System</th><th>Duration</th><th>Faults</th><th>Verdict</th><th>Ops</th><th>ok/s</th><th>Files</th></tr></thead><tbody>

            """
        for e in slice {
            let s = e.summary
            let link = "/runs/" + url(e.workloadFolder) + "/" + url(e.run)
            h += "<tr class=\"\(Format.html(s.verdict))\">"
            h += "<td><a class=\"run\" href=\"\(link)/\">\(Format.html(s.started.map(shortDate) ?? e.run))</a></td>"
            h += "<td>\(Format.html(s.workload))</td><td>\(Format.html(s.system))</td>"
            h += "<td class=\"n\">\(s.durationSeconds.map { String(format: "%.1f s", $0) } ?? "–")</td>"
            h += "<td>\(Format.html(s.faults.isEmpty ? "none" : s.faults.joined(separator: ", ")))</td>"
            h += "<td class=\"v\">\(Format.html(s.verdict))</td>"
            h += "<td class=\"n\">\(s.operations.map(String.init) ?? "–")</td>"
            h += "<td class=\"n\">\(s.okPerSecond.map { String(format: "%.0f", $0) } ?? "–")</td>"
            h += "<td><a href=\"\(link)/files/\">files</a> <a href=\"\(link).zip\">zip</a></td></tr>\n"
        }
        if slice.isEmpty {
            h += "<tr><td colspan=\"9\" class=\"muted\">No runs\(entries.isEmpty ? " yet: schism test writes them here" : " match the filter").</td></tr>\n"
        }
        h += "</tbody></table>\n<nav>"
        func pageLink(_ p: Int) -> String {
            var items: [String] = []
            if let w = query.workload { items.append("workload=" + url(w)) }
            if let v = query.verdict { items.append("verdict=" + url(v)) }
            items.append("page=\(p)")
            return "/?" + items.joined(separator: "&amp;")
        }
        if page > 1 { h += "<a id=\"newer\" href=\"\(pageLink(page - 1))\">&larr; newer</a>" }
        h += "<span class=\"muted\">page \(page) of \(pages)</span>"
        if page < pages { h += " <a id=\"older\" href=\"\(pageLink(page + 1))\">older &rarr;</a>" }
        h += """
            </nav>
            <script>
            for (const id of ["workload", "verdict"]) {
              document.getElementById(id).addEventListener("change", () => document.getElementById("filter").submit());
            }
            </script>
            </body></html>

            """
        return h
    }

    /// `2026-11-25T10:15:00Z` as `2026-11-25 10:15:00`.
    static func shortDate(_ iso: String) -> String {
        String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// `text` percent-encoded as one path or query part.
    static func url(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
