import Checkers
import Histories

/// The detailed text report of a check: the verdict, counts, and each failing key's anomaly.
///
/// Bounded for huge histories: at most `limits.detailedKeys` failing keys are explained in full,
/// `limits.namedKeys` more are named, and the rest are counted. See `docs/reports.md`.
public enum TextReport {
    /// Renders the report; `file` names the history in the heading (default: `history.source`).
    public static func render(
        result: CheckResult, history: History, file: String? = nil, limits: ReportLimits = ReportLimits()
    ) -> String {
        var out: [String] = []
        let name = file ?? history.source ?? "history"
        out.append("Linearizability check of \(name): \(result.verdict.rawValue.uppercased())")
        out.append(
            "Model \(result.model); \(Format.count(result.operationCount, "operation")) in "
                + "\(Format.count(result.partitions.count, "partition")), checked in \(Format.elapsed(result.elapsedSeconds)).")
        out.append(countsLine(result))
        let failures = result.failures
        if failures.isEmpty {
            out.append("Every partition is linearizable.")
            return out.joined(separator: "\n") + "\n"
        }
        for p in failures.prefix(limits.detailedKeys) {
            out.append("")
            out.append(contentsOf: section(p, history.operations, limits))
        }
        let rest = failures.dropFirst(limits.detailedKeys)
        if !rest.isEmpty {
            out.append("")
            let named = rest.prefix(limits.namedKeys).map {
                "\(Format.key($0.key, limits.valueChars)) (\($0.verdict.rawValue))"
            }
            var line = "\(Format.count(rest.count, "more failing partition")) not shown in detail: "
                + named.joined(separator: ", ")
            if rest.count > named.count { line += ", and \(rest.count - named.count) more" }
            out.append(line + ".")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `Partitions: 3 valid, 1 invalid, 0 unknown.`
    static func countsLine(_ result: CheckResult) -> String {
        var valid = 0, invalid = 0, unknown = 0
        for p in result.partitions {
            switch p.verdict {
            case .valid: valid += 1
            case .invalid: invalid += 1
            case .unknown: unknown += 1
            }
        }
        return "Partitions: \(valid) valid, \(invalid) invalid, \(unknown) unknown."
    }

    /// The section for one failing partition.
    static func section(_ p: PartitionResult, _ ops: OpLog, _ limits: ReportLimits) -> [String] {
        var out: [String] = []
        let title = p.key == nil ? "Whole history" : "Key \(Format.key(p.key, limits.valueChars))"
        out.append("== \(title): \(p.verdict.rawValue.uppercased()) ==")
        out.append(
            "\(Format.count(p.calls.count, "operation")), \(p.searchedCount) searched, "
                + "\(Format.elapsed(p.elapsedSeconds)).")
        if let note = p.note { out.append("Why unknown: \(note).") }
        guard let a = p.anomaly else { return out }
        let byInvoke = Format.callsByInvoke(p.calls)
        if p.verdict == .invalid {
            out.append(contentsOf: proseLines(a.prose, limits))
        } else {
            out.append(
                "When it stopped, the longest linearizable prefix found had "
                    + "\(Format.count(a.prefix.count, "operation")), leaving the state at "
                    + "\(Format.cut(a.stateAfterPrefix, limits.valueChars)).")
        }
        out.append(contentsOf: prefixTail(a, byInvoke, ops, limits))
        if let b = a.blocking {
            out.append("Blocking operation \(b):")
            if let rec = byInvoke[b] {
                out.append("  " + Format.call(rec, ops, limits.valueChars))
                out.append("  history lines:")
                out.append("    " + Format.cut(ops[rec.invoke].jsonLine, 4 * limits.valueChars))
                if let c = rec.completion { out.append("    " + Format.cut(ops[c].jsonLine, 4 * limits.valueChars)) }
            }
        }
        if p.verdict == .invalid, !a.attempts.isEmpty {
            out.append("Candidates after the prefix, as recorded (the prose above says why each fails):")
            for t in a.attempts.prefix(limits.attempts) {
                let mark = t.allowed ? "allowed" : "refused"
                var line = "  \(mark) "
                line += byInvoke[t.op].map { Format.call($0, ops, limits.valueChars) } ?? "op \(t.op) \(t.call)"
                out.append(line)
            }
            if a.attempts.count > limits.attempts {
                out.append("  … and \(a.attempts.count - limits.attempts) more candidates.")
            }
        }
        return out
    }

    /// The prose, cut to `limits.proseLines` lines.
    static func proseLines(_ prose: String, _ limits: ReportLimits) -> [String] {
        let lines = prose.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out = lines.prefix(limits.proseLines).map { Format.cut($0, 4 * limits.valueChars) }
        if lines.count > out.count { out.append("  … \(lines.count - out.count) more lines.") }
        return out
    }

    /// The last prefix operations, in linearization order, as an aligned table.
    private static func prefixTail(
        _ a: Explanation, _ byInvoke: [Int: CallRecord], _ ops: OpLog, _ limits: ReportLimits
    ) -> [String] {
        guard !a.prefix.isEmpty, limits.prefixTail > 0 else { return [] }
        let start = max(0, a.prefix.count - limits.prefixTail)
        let tail = a.prefix[start...]
        var out = [
            tail.count == a.prefix.count
                ? "The longest linearizable prefix (linearization order):"
                : "The last \(tail.count) of \(a.prefix.count) operations of the longest linearizable prefix (linearization order):"
        ]
        var rows: [[String]] = []
        for (i, s) in zip(start..., tail) {
            let inv = ops[s.op]
            var when = ""
            if let t = inv.time { when = "invoked \(Format.time(ns: t))" }
            if let c = byInvoke[s.op]?.completion, let t = ops[c].time { when += ", completed \(Format.time(ns: t))" }
            rows.append([
                "#\(i + 1)", "op \(s.op)", "process \(inv.process)", Format.cut(s.call, limits.valueChars),
                "→ \(Format.cut(s.stateAfter, limits.valueChars))", when,
            ])
        }
        out.append(contentsOf: aligned(rows).map { "  " + $0 })
        return out
    }

    /// Rows padded so that columns line up (the last column is not padded).
    static func aligned(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    /// The string without trailing spaces.
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
