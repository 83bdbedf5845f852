import Basics
import Histories

/// Writes an anomaly in prose: which operation cannot take effect, and why no order allows it.
enum Prose {
    /// The anomaly with its `prose` filled in.
    /// `finished` is false when the search stopped (time-out): then nothing is claimed but how far it got.
    static func withProse(_ a: Explanation, ops: OpLog, key: String?, finished: Bool) -> Explanation {
        var out = a
        var lines: [String] = []
        let subject = key.map { "Key \(JSONValue.string($0).jsonText)" } ?? "The history"
        let n = a.prefix.count
        let found = "has \(n) operation\(n == 1 ? "" : "s")"
            + (n == 0 ? ", in the initial state \(a.stateAfterPrefix)." : " and leaves the state at \(a.stateAfterPrefix).")
        guard finished else {
            out.prose = "The search of \(subject.prefix(1).lowercased() + subject.dropFirst()) stopped before it finished, so "
                + "nothing is proved either way. The longest linearizable prefix found so far \(found)"
            return out
        }
        lines.append("\(subject) is not linearizable. The longest linearizable prefix found \(found)")
        if let b = a.blocking {
            let op = ops[b]
            let call = a.attempts.first { $0.op == b }?.call ?? op.f
            lines.append(
                "Operation \(b) (\(call), process \(op.process)\(timeText(op))) completed before any order could place it: "
                    + "it must take effect by then, but after the prefix:")
        } else {
            lines.append("After the prefix:")
        }
        for t in a.attempts {
            let op = ops[t.op]
            lines.append("  - operation \(t.op) (\(t.call), process \(op.process)): \(t.reason)")
        }
        if a.attempts.isEmpty {
            lines.append("  - no operation is in flight that could come next.")
        }
        out.prose = lines.joined(separator: "\n")
        return out
    }

    private static func timeText(_ op: Op) -> String {
        guard let t = op.time else { return "" }
        return ", invoked at \(formatSeconds(Double(t) / 1e9))"
    }

    /// Seconds with millisecond precision, e.g. `12.345 s`.
    static func formatSeconds(_ s: Double) -> String {
        let ms = Int((s * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac) s"
    }
}
