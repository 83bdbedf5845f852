import Basics
import Checkers
import Systems

/// A configured `list-append` or `rw-register` workload.
///
/// Every request is a transaction: `f` `txn`, no key, and as value the micro-operations
/// `[fn, key, value]` (docs/history-format.md): `["append", k, v]` / `["r", k, null]` for
/// list-append, `["w", k, v]` / `["r", k, null]` for rw-register. Keys are JSON integers from a
/// pool of `key-count` keys that all workers share and that rotates (a key is retired after
/// `max-writes-per-key` writes); written values are 1, 2, 3, ... per key, unique across workers.
public struct TransactionWorkload: Workload, Equatable {
    public var flavor: TransactionFlavor
    /// The fields read from `workload:`.
    public var options: TransactionSettings

    /// Reads per final transaction (the final state is read in transactions of this many keys).
    public static let finalReadsPerTxn = 16

    public init(flavor: TransactionFlavor, options: TransactionSettings? = nil) {
        self.flavor = flavor
        self.options = options ?? TransactionSettings(flavor: flavor)
    }

    public var kind: String { flavor.rawValue }

    public var functions: [String] { ["txn"] }

    /// Keys rotate through the shared pool, not per worker group: no per-key operation budget.
    public var opsPerKey: Int { Int.max }

    public func generator(seed: UInt64, worker: Int) -> any OpGenerator {
        TransactionGenerator(seed: seed, worker: worker, flavor: flavor, settings: options)
    }

    /// Reads of every key used, in transactions of ``finalReadsPerTxn`` keys.
    public func finalRequests(keys: [String]) -> [ClientRequest] {
        let numbers = keys.compactMap(KeyAllocator.number)
        return stride(from: 0, to: numbers.count, by: Self.finalReadsPerTxn).map { start in
            let chunk = numbers[start..<min(numbers.count, start + Self.finalReadsPerTxn)]
            return ClientRequest(f: "txn", key: nil, value: .array(chunk.map { .array(["r", .int(Int64($0)), .null]) }))
        }
    }

    public var checkers: [CheckerSpec] {
        [CheckerSpec(flavor.rawValue, options: ["consistency": .string(options.consistency)])]
    }

    public var settings: [String: JSONValue] {
        options.json.merging(["kind": .string(kind)]) { a, _ in a }
    }
}
