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
}

/// One worker's view of the run's keys: what a generator asks for its next key.
public struct WorkerKeys: Sendable {
    let allocator: KeyAllocator
    let worker: Int

    /// The key for this worker's next operation.
    public func next() -> String { allocator.next(worker: worker) }
}
