import Histories

/// A fault that was in effect from one nemesis operation to another, such as a partition.
///
/// Built from the nemesis's `start-<kind>` and `stop-<kind>` operations (see `intervals(in:)`);
/// any other nemesis operation is a fault of its own name that starts and stops at once.
public struct FaultInterval: Sendable, Equatable {
    /// What the fault was: the suffix shared by its start and stop (`partition`, `kill`, `clock`).
    public var kind: String
    /// History line of the start, or nil for a stop with no start before it (then the interval
    /// starts with the history).
    public var startIndex: Int?
    /// History line of the stop, or nil when the fault was never stopped (the run was interrupted):
    /// then the interval runs to the end of the history.
    public var stopIndex: Int?
    /// When it started, nanoseconds since the test started.
    public var startNanos: Int64
    /// When it stopped, or the history's last time if it never did.
    public var endNanos: Int64
    /// The start's value as compact JSON (the grudge, the nodes, the offsets), cut to a readable length.
    public var summary: String
    /// The stop's value, when it says something (not null).
    public var stopSummary: String?
    /// The fill colour for its kind (see ``colour(_:in:)``).
    public var colour: String

    public init(
        kind: String, startIndex: Int?, stopIndex: Int?, startNanos: Int64, endNanos: Int64,
        summary: String, stopSummary: String? = nil, colour: String? = nil
    ) {
        self.kind = kind
        self.startIndex = startIndex
        self.stopIndex = stopIndex
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.summary = summary
        self.stopSummary = stopSummary
        self.colour = colour ?? Self.colour(kind, in: [:])
    }

    /// Whether the fault was still in effect when the history ended.
    public var isOpen: Bool { stopIndex == nil && startIndex != nil }

    /// Whether it was a single event rather than a start and a stop.
    public var isInstant: Bool { startIndex != nil && startIndex == stopIndex }

    /// The fault intervals of a history, in order of their starts.
    ///
    /// Nemesis `invoke` operations are skipped (the completion says when the fault took effect), and
    /// so are `fail` ones (it did not). A `stop-<kind>` closes every open interval of that kind (a
    /// stop heals all partitions, restarts every killed node); a start with no stop runs to the end
    /// of the history, the last time recorded. Operations without a time take the last time seen.
    /// Each kind takes its colour from `colours` (fault family name → CSS colour), see ``colour(_:in:)``.
    public static func intervals(in ops: OpLog, summaryChars: Int = 160, colours: [String: String] = [:]) -> [FaultInterval] {
        var out: [FaultInterval] = []
        var open: [String: [Int]] = [:]  // kind → positions in `out`
        var last: Int64 = 0
        for op in ops {
            if let t = op.time { last = max(last, t) }
            guard op.process == .nemesis, op.type == .info || op.type == .ok else { continue }
            let now = op.time ?? last
            let value = op.value.isNull ? nil : Format.cut(op.value.jsonText, summaryChars)
            if let kind = suffix(op.f, "start-") {
                open[kind, default: []].append(out.count)
                out.append(FaultInterval(
                    kind: kind, startIndex: op.index, stopIndex: nil, startNanos: now, endNanos: now,
                    summary: value ?? ""))
            } else if let kind = suffix(op.f, "stop-") {
                let positions = open.removeValue(forKey: kind) ?? []
                if positions.isEmpty {
                    let first = ops.first { $0.time != nil }?.time ?? 0
                    out.append(FaultInterval(
                        kind: kind, startIndex: nil, stopIndex: op.index, startNanos: min(first, now),
                        endNanos: now, summary: "", stopSummary: value))
                }
                for k in positions {
                    out[k].stopIndex = op.index
                    out[k].endNanos = max(out[k].startNanos, now)
                    out[k].stopSummary = value
                }
            } else {
                out.append(FaultInterval(
                    kind: op.f, startIndex: op.index, stopIndex: op.index, startNanos: now, endNanos: now,
                    summary: value ?? ""))
            }
        }
        for positions in open.values {
            for k in positions { out[k].endNanos = max(out[k].startNanos, last) }
        }
        return recoloured(out, colours)
            .sorted { ($0.startNanos, $0.startIndex ?? -1) < ($1.startNanos, $1.startIndex ?? -1) }
    }

    /// `name` without `prefix`, if it starts with it and something follows.
    private static func suffix(_ name: String, _ prefix: String) -> String? {
        guard name.hasPrefix(prefix), name.count > prefix.count else { return nil }
        return String(name.dropFirst(prefix.count))
    }

    /// The distinct kinds, in order of first start.
    static func kinds(_ faults: [FaultInterval]) -> [String] {
        var seen = Set<String>()
        return faults.map(\.kind).filter { seen.insert($0).inserted }
    }

    /// `faults` with each kind's colour taken from `colours` (unchanged when `colours` is empty).
    public static func recoloured(_ faults: [FaultInterval], _ colours: [String: String]) -> [FaultInterval] {
        guard !colours.isEmpty else { return faults }
        return faults.map { f in
            var copy = f
            copy.colour = colour(f.kind, in: colours)
            return copy
        }
    }

    /// A fill colour for a kind: the registered one (the fault families' colours, which the runner
    /// passes in), else one picked from a palette by a hash of the name.
    public static func colour(_ kind: String, in colours: [String: String]) -> String {
        if let registered = colours[kind] { return registered }
        let palette = ["#8d6e63", "#ad1457", "#5c6bc0", "#558b2f", "#6d4c41", "#00838f"]
        var h: UInt32 = 2_166_136_261
        for b in kind.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return palette[Int(h % UInt32(palette.count))]
    }
}
