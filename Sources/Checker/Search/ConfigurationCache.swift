/// The set of (linearized calls, state) configurations the search has already explored.
///
/// Bitsets live in one flat arena of `words`-word rows; a hash table maps the combined
/// hash to the newest row with that hash, and rows with equal hashes are chained.
struct ConfigurationCache {
    let words: Int
    private var arena: [UInt64] = []
    private var states: [Int32] = []
    private var chain: [Int32] = []
    private var heads = IntTable(capacity: 1024)

    init(words: Int) {
        self.words = words
    }

    /// The number of configurations stored.
    var count: Int { states.count }

    /// Adds the configuration; returns false when it was already there.
    mutating func insert(bits: [UInt64], hash: UInt64, state: Int32) -> Bool {
        let key = hash ^ (UInt64(UInt32(bitPattern: state)) &* 0xC2B2_AE3D_27D4_EB4F)
        let head = heads.get(key) ?? -1
        var row = head
        let w = words
        while row >= 0 {
            let r = Int(row)
            if states[r] == state {
                let same = arena.withUnsafeBufferPointer { a in
                    bits.withUnsafeBufferPointer { b in
                        let base = r * w
                        for i in 0..<w where a[base + i] != b[i] { return false }
                        return true
                    }
                }
                if same { return false }
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
