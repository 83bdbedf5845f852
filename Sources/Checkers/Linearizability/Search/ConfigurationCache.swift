/// The (linearized calls, state) configurations the search has already explored, with dominance.
///
/// A configuration is skipped when one seen before has the same state, the same completed
/// (`ok`) calls placed, and a subset of the unknown-outcome calls placed: the earlier one had
/// every option this one has, and more, since an unknown-outcome call is never required.
/// Bitsets live in one flat arena of `words`-word rows; a hash table keyed by the state and the
/// `ok` calls' hash maps to the newest row, and rows with the same key are chained.
struct ConfigurationCache {
    let words: Int
    /// Per word, the bits of calls that must be placed (`ok`); the others are unknown-outcome calls.
    private let mustMask: [UInt64]
    private var arena: [UInt64] = []
    private var states: [Int32] = []
    private var chain: [Int32] = []
    private var heads = IntTable(capacity: 1024)

    init(words: Int, mustMask: [UInt64]) {
        self.words = words
        self.mustMask = mustMask
    }

    /// The number of configurations stored.
    var count: Int { states.count }

    /// The bytes the cache's arena and tables hold.
    var bytes: Int { arena.capacity * 8 + states.capacity * 4 + chain.capacity * 4 + heads.bytes }

    /// Adds the configuration; returns false when it (or one that dominates it) was already there.
    /// `mustHash` hashes only the placed `ok` calls.
    mutating func insert(bits: [UInt64], mustHash: UInt64, state: Int32) -> Bool {
        let key = mustHash ^ (UInt64(UInt32(bitPattern: state)) &* 0xC2B2_AE3D_27D4_EB4F)
        let head = heads.get(key) ?? -1
        var row = head
        let w = words
        while row >= 0 {
            let r = Int(row)
            if states[r] == state {
                let dominated = arena.withUnsafeBufferPointer { a in
                    mustMask.withUnsafeBufferPointer { m in
                        let base = r * w
                        for i in 0..<w {
                            let old = a[base + i], new = bits[i]
                            // Same ok calls, and every unknown-outcome call placed then is placed now.
                            if ((old ^ new) & m[i]) | (old & ~new & ~m[i]) != 0 { return false }
                        }
                        return true
                    }
                }
                if dominated { return false }
            }
            row = chain[r]
        }
        let newRow = Int32(states.count)
        arena.append(contentsOf: bits)
        states.append(state)
        chain.append(head)
        heads.set(key, newRow)
        return true
    }
}
