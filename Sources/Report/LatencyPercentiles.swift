import Histories

/// Exact latency percentiles of a set of operations, in nanoseconds.
///
/// Nearest-rank definition: the p-th percentile of n sorted values is the value at 1-based rank
/// ⌈p/100 · n⌉, so it is always a latency that was measured. Exact, from the sorted array (no
/// histogram): a run of a million operations sorts 8 MB.
public struct LatencyPercentiles: Sendable, Equatable {
    /// How many latencies.
    public var count: Int
    public var minNanos: Int64
    public var p50Nanos: Int64
    public var p90Nanos: Int64
    public var p99Nanos: Int64
    public var p999Nanos: Int64
    public var maxNanos: Int64
    /// The arithmetic mean, rounded down.
    public var meanNanos: Int64

    /// The percentiles of `sorted` (ascending), or nil when it is empty.
    public init?(sorted: [Int64]) {
        guard let first = sorted.first, let last = sorted.last else { return nil }
        count = sorted.count
        minNanos = first
        maxNanos = last
        p50Nanos = Self.rank(sorted, 500)
        p90Nanos = Self.rank(sorted, 900)
        p99Nanos = Self.rank(sorted, 990)
        p999Nanos = Self.rank(sorted, 999)
        var sum = 0.0
        for v in sorted { sum += Double(v) }
        meanNanos = Int64(sum / Double(sorted.count))
    }

    /// The percentiles of `values` in any order, or nil when it is empty.
    public init?(unsorted values: [Int64]) {
        self.init(sorted: values.sorted())
    }

    /// The value at rank ⌈perMille/1000 · n⌉ (1-based), in integers so that 99.9 is exact.
    static func rank(_ sorted: [Int64], _ perMille: Int) -> Int64 {
        let n = sorted.count
        let r = (perMille * n + 999) / 1000
        return sorted[min(n - 1, max(0, r - 1))]
    }

    /// A latency for people: `850 µs`, `12.3 ms`, `1.20 s`.
    static func text(_ ns: Int64) -> String {
        let v = Double(ns)
        if ns < 1_000 { return "\(ns) ns" }
        if ns < 1_000_000 { return fixed(v / 1e3, v < 1e4 ? 2 : v < 1e5 ? 1 : 0) + " µs" }
        if ns < 1_000_000_000 { return fixed(v / 1e6, v < 1e7 ? 2 : v < 1e8 ? 1 : 0) + " ms" }
        return fixed(v / 1e9, 2) + " s"
    }

    /// `v` with `digits` decimals, rounded half up (no Foundation).
    static func fixed(_ v: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = Int64((abs(v) * scale).rounded())
        let sign = v < 0 && n != 0 ? "-" : ""
        let whole = n / Int64(scale)
        guard digits > 0 else { return "\(sign)\(whole)" }
        let frac = String(n % Int64(scale))
        return "\(sign)\(whole).\(String(repeating: "0", count: digits - frac.count))\(frac)"
    }
}

/// How many client operations ended ok, failed, or with an unknown outcome.
public struct OutcomeCounts: Sendable, Equatable {
    public var ok: Int
    public var fail: Int
    /// Unknown outcome, including invocations that never completed.
    public var info: Int

    public init(ok: Int = 0, fail: Int = 0, info: Int = 0) {
        self.ok = ok
        self.fail = fail
        self.info = info
    }

    /// All operations (invocations).
    public var total: Int { ok + fail + info }

    /// Counts one more operation with this outcome.
    mutating func add(_ outcome: OpType) {
        switch outcome {
        case .ok: ok += 1
        case .fail: fail += 1
        case .info, .invoke: info += 1
        }
    }
}
