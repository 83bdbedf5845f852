import Synchronization

/// Hands out keys: workers share keys in groups, each key gets `opsPerKey` operations, then
/// its group moves to a fresh one (Jepsen's independent, concurrent generator).
///
/// With `clientsPerKey` workers per key, `concurrency` workers keep about
/// `concurrency / clientsPerKey` keys busy at once, so every key's history has a small
/// concurrency window and stays quick to check; one group (the default) puts every worker on
/// the same key.
public final class KeyAllocator: Sendable {
    private struct State {
        var nextKey = 0
        /// Each group's current key and the operations it has had.
        var groups: [Int: (key: Int, used: Int)] = [:]
        /// The rotating pool of transactional workloads, made by the first claim.
        var pool: RotatingPool?
    }

    private let state = Mutex(State())
    public let opsPerKey: Int
    /// Workers that share a key.
    public let clientsPerKey: Int

    public init(opsPerKey: Int, clientsPerKey: Int = Int.max) {
        self.opsPerKey = max(1, opsPerKey)
        self.clientsPerKey = max(1, clientsPerKey)
    }

    /// The key for worker `worker`'s next operation.
    public func next(worker: Int) -> String {
        let group = max(0, worker) / clientsPerKey
        let n = state.withLock { s -> Int in
            if let current = s.groups[group], current.used < opsPerKey {
                s.groups[group] = (current.key, current.used + 1)
                return current.key
            }
            let key = s.nextKey
            s.nextKey += 1
            s.groups[group] = (key, 1)
            return key
        }
        return Self.name(n)
    }

    /// The key for the next operation of worker 0's group.
    public func next() -> String { next(worker: 0) }

    /// The keys of one worker, for its generator.
    public func worker(_ worker: Int) -> WorkerKeys { WorkerKeys(allocator: self, worker: worker) }

    /// Every key handed out so far.
    public var keys: [String] {
        let count = state.withLock { $0.nextKey }
        return (0..<count).map(Self.name)
    }

    static func name(_ n: Int) -> String { "k\(n)" }

    /// The number of a key named by ``keys`` (`k12` → 12), nil for another name.
    public static func number(_ name: String) -> Int? {
        name.hasPrefix("k") ? Int(name.dropFirst()) : nil
    }

    /// Claims the keys and written values of one transaction from the rotating pool shared by
    /// every worker (Jepsen's list-append generator), atomically.
    ///
    /// The pool holds `activeKeys` keys; `uses[i]` picks slot `slot` of it (taken modulo
    /// `activeKeys`) and, when `write` is set, the next value of that key: 1, 2, 3, ... per key,
    /// so values are unique per key across all workers. A key that has had `maxWritesPerKey`
    /// writes is retired after this transaction and its slot gets a fresh key (numbered as
    /// ``keys`` numbers them). The pool's settings are fixed by the first claim.
    public func claim(_ uses: [KeyUse], activeKeys: Int, maxWritesPerKey: Int) -> [KeyClaim] {
        state.withLock { s in
            if s.pool == nil {
                let count = max(1, activeKeys)
                s.pool = RotatingPool(active: Array(s.nextKey..<(s.nextKey + count)), maxWrites: max(1, maxWritesPerKey))
                s.nextKey += count
            }
            guard var pool = s.pool else { return [] }
            let claims = pool.claim(uses, nextKey: &s.nextKey)
            s.pool = pool
            return claims
        }
    }
}

/// One micro-operation's use of the rotating pool: which slot, and whether it writes.
public struct KeyUse: Sendable, Hashable {
    /// The slot of the active keys (taken modulo their count).
    public var slot: Int
    /// Whether the micro-operation writes (and so needs a fresh value).
    public var write: Bool

    public init(slot: Int, write: Bool) {
        self.slot = slot
        self.write = write
    }
}

/// The key (and, for a write, the value) a ``KeyUse`` got.
public struct KeyClaim: Sendable, Hashable {
    public var key: Int
    /// The value to write, unique for this key in the run; nil for a read.
    public var value: Int?
}

/// The active keys of a rotating pool and the writes each key has had.
struct RotatingPool {
    var active: [Int]
    let maxWrites: Int
    var writes: [Int: Int] = [:]

    mutating func claim(_ uses: [KeyUse], nextKey: inout Int) -> [KeyClaim] {
        let claims = uses.map { use -> KeyClaim in
            let key = active[((use.slot % active.count) + active.count) % active.count]
            guard use.write else { return KeyClaim(key: key, value: nil) }
            let value = (writes[key] ?? 0) + 1
            writes[key] = value
            return KeyClaim(key: key, value: value)
        }
        // Retire keys that had their writes, after the transaction (its uses stay on one key each).
        for i in active.indices where (writes[active[i]] ?? 0) >= maxWrites {
            writes[active[i]] = nil
            active[i] = nextKey
            nextKey += 1
        }
        return claims
    }
}

/// One worker's view of the run's keys: what a generator asks for its next key.
public struct WorkerKeys: Sendable {
    let allocator: KeyAllocator
    let worker: Int

    /// The key for this worker's next operation.
    public func next() -> String { allocator.next(worker: worker) }

    /// Claims the keys and values of one transaction from the run's rotating pool
    /// (``KeyAllocator/claim(_:activeKeys:maxWritesPerKey:)``).
    public func claim(_ uses: [KeyUse], activeKeys: Int, maxWritesPerKey: Int) -> [KeyClaim] {
        allocator.claim(uses, activeKeys: activeKeys, maxWritesPerKey: maxWritesPerKey)
    }
}
