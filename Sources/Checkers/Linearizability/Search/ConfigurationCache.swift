/// The (linearized calls, state) configurations the search has already explored, with dominance.
///
/// A configuration is skipped when one seen before has the same state, the same completed
/// (`ok`) calls placed, and a subset of the unknown-outcome calls placed: the earlier one had
/// every option this one has, and more, since an unknown-outcome call is never required.
/// A hash table keyed by the state and the `ok` calls' hash maps to the newest row, and rows
/// with the same key are chained.
///
/// Rows are compacted to the search's window: a row keeps only the words from `low`, the first
/// word whose calls are not all placed, to `high`, one past the last word with a call placed.
/// The words below `low` are implied full and those from `high` empty, so a row costs the
/// concurrency window around the first pending call, not the length of the history.
struct ConfigurationCache {
    let words: Int
    /// Per word, the bits of calls that must be placed (`ok`); the others are unknown-outcome calls.
    private let mustMask: [UInt64]
    /// Per word, the bits of every call in it (the last word may be partial).
    let fullMask: [UInt64]
    private var arena: [UInt64] = []
    private var offsets: [Int] = []
    private var lows: [Int32] = []
    private var highs: [Int32] = []
    private var states: [Int32] = []
    /// Each row's hash-table key, to rebuild the chains when rows are dropped.
    private var keys: [UInt64] = []
    private var chain: [Int32] = []
    private var heads = IntTable(capacity: 1024)

    init(calls: Int, mustMask: [UInt64]) {
        words = max(1, (calls + 63) / 64)
        self.mustMask = mustMask
        fullMask = (0..<words).map { w in
            let inWord = min(64, calls - 64 * w)
            return inWord >= 64 ? UInt64.max : (UInt64(1) << UInt64(max(0, inWord))) &- 1
        }
    }

    /// The number of configurations stored.
    var count: Int { states.count }

    /// The bytes the cache's arena and tables hold.
    var bytes: Int {
        arena.capacity * 8 + (offsets.capacity + keys.capacity) * 8 + (lows.capacity + highs.capacity + states.capacity + chain.capacity) * 4
            + heads.bytes
    }

    /// Adds the configuration; returns false when it (or one that dominates it) was already there.
    /// `bits` has every call's bit; the words below `low` are full and those from `high` empty.
    /// `mustHash` hashes only the placed `ok` calls.
    mutating func insert(bits: [UInt64], low: Int, high: Int, mustHash: UInt64, state: Int32) -> Bool {
        let key = mustHash ^ (UInt64(UInt32(bitPattern: state)) &* 0xC2B2_AE3D_27D4_EB4F)
        let head = heads.get(key) ?? -1
        if head >= 0, isDominated(head: Int(head), bits: bits, low: low, high: high, state: state) { return false }
        let newRow = Int32(states.count)
        offsets.append(arena.count)
        arena.append(contentsOf: bits[low..<high])
        lows.append(Int32(low))
        highs.append(Int32(high))
        states.append(state)
        keys.append(key)
        chain.append(head)
        heads.set(key, newRow)
        return true
    }

    /// Drops the rows the search can meet again only by backtracking below word `low`: those
    /// whose window ends before it (a word empty in them is full now). The cache is a memo, so
    /// dropping rows never changes a verdict; it only lets a deep backtrack explore again what
    /// it had explored. It keeps the cache's size to the search's window on long histories.
    mutating func dropRows(behind low: Int) {
        var kept = ConfigurationCache(words: words, mustMask: mustMask, fullMask: fullMask)
        for r in states.indices where Int(highs[r]) >= low {
            let newRow = Int32(kept.states.count)
            kept.offsets.append(kept.arena.count)
            kept.arena.append(contentsOf: arena[offsets[r]..<(offsets[r] + Int(highs[r] - lows[r]))])
            kept.lows.append(lows[r])
            kept.highs.append(highs[r])
            kept.states.append(states[r])
            kept.keys.append(keys[r])
            kept.chain.append(kept.heads.get(keys[r]) ?? -1)
            kept.heads.set(keys[r], newRow)
        }
        self = kept
    }

    private init(words: Int, mustMask: [UInt64], fullMask: [UInt64]) {
        self.words = words
        self.mustMask = mustMask
        self.fullMask = fullMask
    }

    /// Whether a row on the chain from `head` has `state`, the same `ok` calls as `bits` and a
    /// subset of its unknown-outcome calls.
    private func isDominated(head: Int, bits: [UInt64], low: Int, high: Int, state: Int32) -> Bool {
        bits.withUnsafeBufferPointer { b in
            arena.withUnsafeBufferPointer { a in
                mustMask.withUnsafeBufferPointer { m in
                    fullMask.withUnsafeBufferPointer { f in
                        var r = head
                        while r >= 0 {
                            if states[r] == state {
                                let rowLow = Int(lows[r]), rowHigh = Int(highs[r]), base = offsets[r] - rowLow
                                var same = true
                                // Outside this range both are full (below) or empty (above).
                                var i = min(low, rowLow)
                                let end = max(high, rowHigh)
                                while i < end {
                                    let old = i < rowLow ? f[i] : (i < rowHigh ? a[base + i] : 0)
                                    let new = b[i]
                                    // Same ok calls, and every unknown-outcome call placed then is placed now.
                                    if ((old ^ new) & m[i]) | (old & ~new & ~m[i]) != 0 { same = false; break }
                                    i += 1
                                }
                                if same { return true }
                            }
                            r = Int(chain[r])
                        }
                        return false
                    }
                }
            }
        }
    }
}
