import Basics
import Systems

/// One worker's transactions, reproducible from the run's seed and the worker number.
///
/// The worker's own random stream picks each transaction's length, its micro-operations'
/// functions and the slots of the shared key pool they use; the pool (``WorkerKeys/claim(_:activeKeys:maxWritesPerKey:)``)
/// turns slots into keys and hands out the written values, so the keys a given slot means depend
/// on what the other workers did first, as with Jepsen's shared generator.
public struct TransactionGenerator: OpGenerator {
    private var rng: SplitMix
    private let flavor: TransactionFlavor
    private let options: TransactionSettings
    private let writeWeight: Double
    private let totalWeight: Double

    public init(seed: UInt64, worker: Int, flavor: TransactionFlavor, settings: TransactionSettings) {
        var s = SplitMix(seed: seed ^ (UInt64(worker) &* 0x9E37_79B9_7F4A_7C15))
        _ = s.next()
        rng = s
        self.flavor = flavor
        options = settings
        writeWeight = settings.mix[flavor.writeFunction] ?? 0
        totalWeight = writeWeight + (settings.mix["r"] ?? 0)
    }

    public mutating func next(keys: WorkerKeys) -> ClientRequest {
        let uses = plan()
        let claims = keys.claim(uses, activeKeys: options.keyCount, maxWritesPerKey: options.maxWritesPerKey)
        return Self.request(claims, flavor: flavor)
    }

    /// The next transaction's uses of the pool: its length, and per micro-operation a slot and
    /// whether it writes.
    public mutating func plan() -> [KeyUse] {
        let span = options.maxTxnLength - options.minTxnLength + 1
        let length = options.minTxnLength + rng.next(below: max(1, span))
        return (0..<length).map { _ in
            let slot = rng.next(below: options.keyCount)
            let pick = Double(rng.next() >> 11) / Double(1 << 53) * totalWeight
            return KeyUse(slot: slot, write: pick < writeWeight)
        }
    }

    /// The `txn` request of claimed keys: a write claim is `[append|w, k, v]`, a read `["r", k, null]`.
    public static func request(_ claims: [KeyClaim], flavor: TransactionFlavor) -> ClientRequest {
        let ops: [JSONValue] = claims.map { c in
            if let v = c.value { return .array([.string(flavor.writeFunction), .int(Int64(c.key)), .int(Int64(v))]) }
            return .array(["r", .int(Int64(c.key)), .null])
        }
        return ClientRequest(f: "txn", key: nil, value: .array(ops))
    }
}
