import Basics
import Systems
import SyntheticHistories
import Histories
import Synchronization

/// Hands out keys: each key gets `opsPerKey` operations, then every worker moves to a fresh one.
///
/// Keeping keys short keeps every key's history small enough to check quickly, as Jepsen's
/// independent workloads do.
public final class KeyAllocator: Sendable {
    private let state = Mutex((key: 0, used: 0))
    public let opsPerKey: Int

    public init(opsPerKey: Int) {
        self.opsPerKey = max(1, opsPerKey)
    }

    /// The key for the next operation.
    public func next() -> String {
        let n = state.withLock { s -> Int in
            if s.used >= opsPerKey {
                s.key += 1
                s.used = 0
            }
            s.used += 1
            return s.key
        }
        return Self.name(n)
    }

    /// Every key handed out so far.
    public var keys: [String] {
        let last = state.withLock { $0.used > 0 ? $0.key : $0.key - 1 }
        return last < 0 ? [] : (0...last).map(Self.name)
    }

    static func name(_ n: Int) -> String { "k\(n)" }
}

/// One worker's stream of register operations, reproducible from the run's seed and the worker number.
public struct OperationSource: Sendable {
    private var rng: SplitMix
    private let functions: [(f: String, weight: Double)]
    private let total: Double
    private let values: Int

    public init(seed: UInt64, worker: Int, mix: [String: Double], values: Int) {
        var s = SplitMix(seed: seed ^ (UInt64(worker) &* 0x9E37_79B9_7F4A_7C15))
        _ = s.next()
        rng = s
        functions = mix.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { (f: $0.key, weight: $0.value) }
        total = functions.reduce(0) { $0 + $1.weight }
        self.values = max(1, values)
    }

    /// The next request, on `key`.
    public mutating func next(key: String) -> ClientRequest {
        var pick = Double(rng.next() >> 11) / Double(1 << 53) * total
        var f = functions.last?.f ?? "read"
        for entry in functions {
            if pick < entry.weight {
                f = entry.f
                break
            }
            pick -= entry.weight
        }
        switch f {
        case "write":
            return ClientRequest(f: "write", key: key, value: .int(Int64(rng.next(below: values))))
        case "cas":
            let expected = JSONValue.int(Int64(rng.next(below: values)))
            return ClientRequest(f: "cas", key: key, value: .array([expected, .int(Int64(rng.next(below: values)))]))
        default:
            return ClientRequest(f: "read", key: key, value: .null)
        }
    }
}
