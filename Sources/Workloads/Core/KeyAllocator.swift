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
