import Basics
import Checkers
import Histories

/// The part of one failing partition that the HTML timeline draws in full, and a summary of the rest.
///
/// The window is the operations invoked from `limits.windowBefore` before the blocking operation
/// to `limits.windowAfter` after it (in invocation order), plus the last `limits.windowBefore`
/// operations of the longest linearizable prefix and the candidates. Its size is bounded whatever
/// the history's length.
struct TimelineWindow {
    /// Positions in `partition.calls` of the calls drawn, ascending.
    var positions: [Int]
    /// Calls before the window's first position that are not drawn.
    var omittedBefore: [CallRecord]
    /// Calls after the window's last position that are not drawn.
    var omittedAfter: [CallRecord]
    /// The data the page's script draws from (see `docs/reports.md`).
    var data: JSONValue

    init(partition p: PartitionResult, ops: OpLog, limits: ReportLimits, faults: [FaultInterval] = []) {
        let calls = p.calls
        var posOf: [Int: Int] = [:]
        posOf.reserveCapacity(calls.count)
        for (i, c) in calls.enumerated() { posOf[c.invoke] = i }
        let a = p.anomaly
        let prefix = a?.prefix ?? []
        let anchor: Int = {
            if let b = a?.blocking, let pos = posOf[b] { return pos }
            if let last = prefix.last, let pos = posOf[last.op] { return min(calls.count - 1, pos + 1) }
            return max(0, calls.count - 1)
        }()
        let lo = max(0, anchor - limits.windowBefore)
        let hi = min(calls.count, anchor + limits.windowAfter + 1)
        var chosen = Set(lo..<hi)
        for s in prefix.suffix(limits.windowBefore) { if let pos = posOf[s.op] { chosen.insert(pos) } }
        for t in (a?.attempts ?? []).prefix(limits.attempts) { if let pos = posOf[t.op] { chosen.insert(pos) } }
        positions = chosen.sorted()
        omittedBefore = (0..<lo).filter { !chosen.contains($0) }.map { calls[$0] }
        omittedAfter = hi < calls.count ? Array(calls[hi...]) : []

        // Order numbers and states for prefix operations (1-based, in linearization order).
        var order: [Int: (n: Int, state: String)] = [:]
        for (i, s) in prefix.enumerated() where posOf[s.op].map(chosen.contains) ?? false {
            order[s.op] = (i + 1, s.stateAfter)
        }
        var attempts: [Int: Explanation.Attempt] = [:]
        for t in a?.attempts ?? [] { attempts[t.op] = t }

        let drawn = positions.map { calls[$0] }
        let timed = drawn.allSatisfy { c in ops[c.invoke].time != nil && (c.completion.map { ops[$0].time != nil } ?? true) }
        let cut = { (s: String) in Format.cut(s, limits.valueChars) }
        var rows: [JSONValue] = []
        rows.reserveCapacity(drawn.count)
        for c in drawn {
            let inv = ops[c.invoke]
            let done = c.completion.map { ops[$0] }
            var o: [String: JSONValue] = [
                "i": .int(Int64(c.invoke)),
                "c": c.completion.map { .int(Int64($0)) } ?? .null,
                "p": .string(inv.process.description),
                "f": .string(cut(inv.f)),
                "v": .string(cut(inv.value.jsonText)),

                "t": .string(c.outcome.rawValue),
                "s": timed ? inv.time.map(JSONValue.int) ?? .null : .null,
                "e": timed ? done?.time.map(JSONValue.int) ?? .null : .null,
            ]
            // The result, left out when it repeats the value (the script reads it as the value).
            if let done, done.value != inv.value { o["o"] = .string(cut(done.value.jsonText)) }
            if done == nil { o["o"] = .null }
            if let err = done?.error ?? inv.error { o["err"] = .string(cut(err)) }
            if let node = done?.node ?? inv.node { o["node"] = .string(cut(node)) }
            if let (n, state) = order[c.invoke] {
                o["n"] = .int(Int64(n))
                o["st"] = .string(cut(state))
            }
            if let t = attempts[c.invoke] {
                o["a"] = .string(cut(t.reason))
                o["call"] = .string(cut(t.call))
            }
            if c.invoke == a?.blocking { o["b"] = .bool(true) }
            rows.append(.object(o))
        }
        data = .object([
            "key": p.key.map(JSONValue.string) ?? .null,
            "verdict": .string(p.verdict.rawValue),
            "axis": .string(timed ? "time" : "index"),
            "prefixLength": .int(Int64(prefix.count)),
            "ops": .array(rows),
            "nemesis": .array(Self.nemesis(drawn, ops, timed: timed, limits: limits)),
            "faults": .array(Self.spans(faults, drawn, ops, timed: timed, limits: limits)),
        ])
    }

    /// The fault intervals that overlap the drawn operations (by time, or by line when untimed),
    /// at most `limits.nemesisOps`, for the script to shade.
    private static func spans(
        _ faults: [FaultInterval], _ drawn: [CallRecord], _ ops: OpLog, timed: Bool, limits: ReportLimits
    ) -> [JSONValue] {
        guard let first = drawn.first?.invoke, !faults.isEmpty else { return [] }
        let last = drawn.map { $0.completion ?? $0.invoke }.max() ?? first
        let t0 = drawn.compactMap { ops[$0.invoke].time }.min() ?? 0
        let t1 = drawn.compactMap { ops[$0.completion ?? $0.invoke].time }.max() ?? t0
        let overlapping = faults.filter { f in
            if timed { return f.startNanos <= t1 && (f.isOpen || f.endNanos >= t0) }
            return (f.startIndex ?? 0) <= last && (f.stopIndex ?? Int.max) >= first
        }
        return overlapping.prefix(limits.nemesisOps).map { f in
            .object([
                "k": .string(Format.cut(f.kind, limits.valueChars)),
                "c": .string(f.colour),
                "s": timed ? .int(f.startNanos) : .null,
                "e": timed ? .int(f.endNanos) : .null,
                "si": f.startIndex.map { .int(Int64($0)) } ?? .null,
                "ei": f.stopIndex.map { .int(Int64($0)) } ?? .null,
                "open": .bool(f.isOpen),
                "v": .string(Format.cut(PlotFrame.describe(f), 2 * limits.valueChars)),
            ])
        }
    }

    /// Nemesis operations recorded between the first and last drawn events, at most `limits.nemesisOps`.
    private static func nemesis(
        _ drawn: [CallRecord], _ ops: OpLog, timed: Bool, limits: ReportLimits
    ) -> [JSONValue] {
        guard let first = drawn.first?.invoke, limits.nemesisOps > 0 else { return [] }
        let last = drawn.map { $0.completion ?? $0.invoke }.max() ?? first
        var out: [JSONValue] = []
        var i = first
        while i <= last, out.count < limits.nemesisOps {
            let op = ops[i]
            if case .named = op.process {
                out.append(.object([
                    "i": .int(Int64(i)), "p": .string(op.process.description), "t": .string(op.type.rawValue),
                    "f": .string(Format.cut(op.f, limits.valueChars)),
                    "v": .string(Format.cut(op.value.jsonText, limits.valueChars)),
                    "s": timed ? op.time.map(JSONValue.int) ?? .null : .null,
                ]))
            }
            i += 1
        }
        return out
    }

    /// A sentence on what the window leaves out: counts, operation indices and time ranges.
    func omittedText(_ ops: OpLog) -> String? {
        var parts: [String] = []
        if !omittedBefore.isEmpty { parts.append(Self.describe(omittedBefore, "before", ops)) }
        if !omittedAfter.isEmpty { parts.append(Self.describe(omittedAfter, "after", ops)) }
        guard !parts.isEmpty else { return nil }
        return "Not drawn: " + parts.joined(separator: "; ") + "."
    }

    private static func describe(_ calls: [CallRecord], _ side: String, _ ops: OpLog) -> String {
        var s = "\(Format.count(calls.count, "operation")) \(side) the window"
        if let f = calls.first, let l = calls.last {
            s += " (ops \(f.invoke)–\(l.invoke)"
            if let t0 = ops[f.invoke].time, let t1 = ops[l.completion ?? l.invoke].time {
                s += ", \(Format.time(ns: t0)) to \(Format.time(ns: t1))"
            }
        }
        var fails = 0, infos = 0
        for c in calls { if c.outcome == .fail { fails += 1 } else if c.outcome == .info { infos += 1 } }
        s += ", \(fails) failed, \(infos) unknown)"
        return s
    }
}
