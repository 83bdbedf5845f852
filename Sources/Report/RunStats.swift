import Checkers
import Histories

/// Throughput, latency and faults of a test run, computed from its history. Pure.
///
/// Latency is a call's completion time minus its invocation time, for calls that completed `ok`
/// (failed calls are often fast refusals and unknown ones are time-outs, so they would only blur
/// the picture; the plots show them apart). Percentiles are exact (see `LatencyPercentiles`).
/// Throughput counts `ok` completions: overall per second of the client span (first invocation to
/// last completion), and per bucket of `bucketNanos` by completion time, from time 0.
public struct RunStats: Sendable {
    /// Outcomes of every client operation.
    public var counts: OutcomeCounts
    /// The functions (`read`, `write`, `cas`) in order of first invocation.
    public var functions: [String]
    /// Outcomes per function.
    public var countsByFunction: [String: OutcomeCounts]
    /// Latency of ok operations, or nil when none has times.
    public var latency: LatencyPercentiles?
    /// Latency of ok operations per function (functions with no timed ok operation are absent).
    public var latencyByFunction: [String: LatencyPercentiles]
    /// Width of a throughput bucket, nanoseconds.
    public var bucketNanos: Int64
    /// Completions per bucket: `buckets[k]` counts those completed in `[k, k+1) · bucketNanos`.
    /// Invocations never completed are in no bucket.
    public var buckets: [OutcomeCounts]
    /// The first client invocation's time and the last client completion's, nanoseconds.
    public var clientSpanNanos: ClosedRange<Int64>?
    /// The history's last recorded time (any operation), nanoseconds.
    public var endNanos: Int64
    /// Faults, from the nemesis's operations.
    public var faults: [FaultInterval]
    /// Operations whose latency could not be measured because a time is missing.
    public var untimedCount: Int
    /// The client calls, as `Pairing.calls` gives them (the plots use them).
    let calls: [CallRecord]

    /// Computes the statistics of `history`; throws if its invocations and completions do not pair.
    public init(history: History, bucketNanos: Int64 = 1_000_000_000) throws(PairingError) {
        let ops = history.operations
        let calls = try Pairing.calls(ops)
        self.calls = calls
        self.bucketNanos = max(1, bucketNanos)
        counts = OutcomeCounts()
        functions = []
        countsByFunction = [:]
        buckets = []
        untimedCount = 0
        var okLatencies: [Int64] = []
        okLatencies.reserveCapacity(calls.count)
        var byFunction: [String: [Int64]] = [:]
        var first: Int64?
        var last: Int64?
        for c in calls {
            let inv = ops[c.invoke]
            if countsByFunction[inv.f] == nil { functions.append(inv.f) }
            countsByFunction[inv.f, default: OutcomeCounts()].add(c.outcome)
            counts.add(c.outcome)
            if let t = inv.time { first = min(first ?? t, t) }
            guard let done = c.completion.map({ ops[$0] }) else { continue }
            guard let t0 = inv.time, let t1 = done.time else {
                untimedCount += 1
                continue
            }
            last = max(last ?? t1, t1)
            if t1 >= 0 {
                let k = Int(t1 / self.bucketNanos)
                if k >= buckets.count { buckets.append(contentsOf: repeatElement(OutcomeCounts(), count: k + 1 - buckets.count)) }
                buckets[k].add(c.outcome)
            }
            if c.outcome == .ok {
                let d = max(0, t1 - t0)
                okLatencies.append(d)
                byFunction[inv.f, default: []].append(d)
            }
        }
        okLatencies.sort()
        latency = LatencyPercentiles(sorted: okLatencies)
        latencyByFunction = byFunction.compactMapValues { LatencyPercentiles(unsorted: $0) }
        if let first, let last, last >= first { clientSpanNanos = first...last } else { clientSpanNanos = nil }
        endNanos = ops.reduce(Int64(0)) { max($0, $1.time ?? 0) }
        faults = FaultInterval.intervals(in: ops)
    }

    /// Ok operations per second over the client span, or nil when the span is empty.
    public var okPerSecond: Double? {
        guard let span = clientSpanNanos, span.upperBound > span.lowerBound else { return nil }
        return Double(counts.ok) / (Double(span.upperBound - span.lowerBound) / 1e9)
    }

    /// Ok operations per second of one function over the client span.
    public func okPerSecond(_ f: String) -> Double? {
        guard let span = clientSpanNanos, span.upperBound > span.lowerBound else { return nil }
        return Double(countsByFunction[f]?.ok ?? 0) / (Double(span.upperBound - span.lowerBound) / 1e9)
    }

    /// Ok completions per second in each bucket (the last bucket may be partial).
    public var okPerSecondByBucket: [Double] {
        let seconds = Double(bucketNanos) / 1e9
        return buckets.map { Double($0.ok) / seconds }
    }

    /// Time during which each kind of fault was in effect, nanoseconds (overlaps of one kind merged).
    public func faultNanos(_ kind: String) -> Int64 {
        let spans = faults.filter { $0.kind == kind }.map { ($0.startNanos, $0.endNanos) }.sorted { $0 < $1 }
        var total: Int64 = 0
        var current: (Int64, Int64)?
        for s in spans {
            if let c = current, s.0 <= c.1 {
                current = (c.0, max(c.1, s.1))
            } else {
                if let c = current { total += c.1 - c.0 }
                current = s
            }
        }
        if let c = current { total += c.1 - c.0 }
        return total
    }
}
