import Basics
import Checkers
import Histories
import Report

/// Builds run histories with explicit times, for the run report's tests.
struct TimedBuilder {
    private(set) var ops: [Op] = []

    /// A client event at `ms` milliseconds.
    mutating func client(_ p: Int, _ type: OpType, _ f: String, at ms: Int64, key: String? = "k", _ value: JSONValue = .null) {
        client(p, type, f, nanos: ms * 1_000_000, key: key, value)
    }

    /// A client event at `nanos` nanoseconds.
    mutating func client(_ p: Int, _ type: OpType, _ f: String, nanos: Int64, key: String? = "k", _ value: JSONValue = .null) {
        add(Op(index: 0, time: nanos, process: .client(p), type: type, f: f, key: key, value: value))
    }

    /// A nemesis event at `ms` milliseconds.
    mutating func nemesis(_ f: String, at ms: Int64, _ value: JSONValue = .null, type: OpType = .info) {
        add(Op(index: 0, time: ms * 1_000_000, process: .nemesis, type: type, f: f, value: value))
    }

    private mutating func add(_ op: Op) {
        var op = op
        op.index = ops.count
        ops.append(op)
    }

    var history: History { History(operations: ops, source: "run.jsonl") }
}

/// A long synthetic run: `clients` clients, each owning its keys, with latencies that rise during
/// partitions, fails and time-outs during kills, and one stale read on key `k0` if `stale`.
enum SyntheticRun {
    static func make(calls: Int, clients: Int = 16, seconds: Double = 120, stale: Bool = true) -> History {
        var rng: UInt64 = 0x5EED
        func next() -> Double {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(rng >> 11) / Double(1 << 53)
        }
        let span = Int64(seconds * 1e9)
        // Faults: a partition from 20% to 40% of the run, a kill from 55% to 65%, a pause left open at 90%.
        let partition = (span / 5)...(2 * span / 5), kill = (11 * span / 20)...(13 * span / 20)
        var events: [(time: Int64, op: Op)] = []
        events.reserveCapacity(2 * calls + 8)
        let perClient = calls / clients
        let gap = span / Int64(max(1, perClient))
        var written: [String: Int64] = [:]
        var injected = false
        for p in 0..<clients {
            var t = Int64(next() * Double(gap))
            for i in 0..<perClient {
                let key = "k\(p * 4 + i % 4)"
                var latency = Int64(500_000 + next() * next() * 8_000_000)
                var outcome = OpType.ok
                if partition.contains(t) { latency *= 12 }
                if kill.contains(t) && next() < 0.2 {
                    outcome = next() < 0.5 ? .fail : .info
                    latency = outcome == .info ? 1_000_000_000 : 200_000
                }
                let isRead = i % 3 == 0
                let v = JSONValue.int(Int64(i))
                var result: JSONValue = isRead ? (written[key].map(JSONValue.int) ?? .null) : v
                if stale, !injected, key == "k0", i >= perClient / 2, isRead, outcome == .ok {
                    result = .int(-7)
                    injected = true
                }
                // An info write may never take effect: reads keep seeing the last ok write.
                if !isRead, outcome == .ok { written[key] = Int64(i) }
                events.append((t, Op(index: 0, time: t, process: .client(p), type: .invoke, f: isRead ? "read" : "write", key: key, value: isRead ? .null : v)))
                events.append((t + latency, Op(index: 0, time: t + latency, process: .client(p), type: outcome, f: isRead ? "read" : "write", key: key, value: outcome == .ok ? result : (isRead ? .null : v), error: outcome == .ok ? nil : "timeout")))
                t += max(latency + 1, gap)
            }
        }
        let grudge = JSONValue.object(["n1": .array([.string("n2"), .string("n3")]), "n4": .array([.string("n5")])])
        for (t, f, v) in [(partition.lowerBound, "start-partition", grudge), (partition.upperBound, "stop-partition", JSONValue.null),
                          (kill.lowerBound, "start-kill", .array([.string("n2")])), (kill.upperBound, "stop-kill", .null),
                          (9 * span / 10, "start-pause", .array([.string("n4")]))] {
            events.append((t, Op(index: 0, time: t, process: .nemesis, type: .info, f: f, value: v)))
        }
        events.sort { $0.time < $1.time }
        return History(operations: events.enumerated().map { i, e in
            var op = e.op
            op.index = i
            return op
        }, source: "synthetic.jsonl")
    }
}

extension RunMetadata {
    /// Metadata as a runner would fill it in.
    static let sample = RunMetadata(
        workload: "etcd-register", seed: 42, nodes: ["n1", "n2", "n3", "n4", "n5"], database: "etcd",
        databaseVersion: "3.4.30", startDate: "2025-01-02 03:04:05 UTC", timeLimitSeconds: 120,
        nemeses: ["partition", "kill", "pause", "clock"], resultsPath: "store/etcd-register/20250102T030405",
        notes: ["clock faults did not reach etcd: it reads time through the vDSO, not libc"])
}
