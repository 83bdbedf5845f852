import Basics

/// The Wing-Gong/Lowe depth-first search over one partition, on integers only.
///
/// Calls are numbered `0..<n`; entry `2i` is call `i`'s invocation and `2i+1` its return.
/// States are interned ids; `transition` gives the next state id or -1 when the model
/// rejects the call. The search keeps a cache of (set of linearized calls, state) so that
/// no configuration is explored twice (Lowe), with the set's hash updated incrementally
/// (Zobrist) and bitsets stored in one flat arena: no allocation per step in the hot loop. The
/// arena keeps only each set's window (see ``ConfigurationCache``), so memory follows the
/// concurrency window rather than the length of the history.
struct SearchCore {
    /// How the search ended.
    enum Outcome {
        /// Every completed call is linearized, in this order (call ids).
        case linearizable([Int32])
        /// No order exists; the longest linearizable prefix found and the state after it.
        case notLinearizable(prefix: [Int32], state: Int32)
        /// `shouldStop` said so (time, memory, cancellation); the longest prefix so far.
        case stopped(prefix: [Int32], state: Int32)
    }

    /// Entries in real-time order (`2i` invocation, `2i+1` return of call `i`).
    let order: [Int32]
    /// Whether call `i` completed `ok` and so must be linearized (others are `info`).
    let mustLinearize: [Bool]
    /// For an unknown-outcome call, the previous such call with the same effect (or -1): it must
    /// be placed first, since swapping two equal calls changes nothing.
    let twin: [Int32]
    let initialState: Int32
    /// For each call, its bit among the lookahead reads (see ``Model/lookahead(_:)``), or 0.
    var lookaheadBit: [UInt64] = []
    /// For each call, the lookahead reads whose test it suspends while it is not placed (a put
    /// that may come before the read), or 0. A read's test applies once all of those are placed.
    var suspends: [UInt64] = []
    /// For each call, whether it must be placed and never changes any state (a read); empty
    /// when none does.
    ///
    /// Such a call is placed as soon as the state allows it, before anything else at that
    /// point, and nothing else is tried there in its place: moving a call that changes nothing
    /// to the front of any order that completes keeps every state along it and every real-time
    /// constraint (the call has no unplaced predecessor), so the configuration before it
    /// completes exactly when the one after it does. A read that is allowed cuts off every
    /// alternative at its point, which is most of the backtracking on a busy register.
    var observes: [Bool] = []

    /// Runs the search. `shouldStop` is polled every few thousand steps and every 256 new cached
    /// configurations, with the bytes the search holds then (cache, memo, lists and stacks).
    ///
    /// `dead(state, reads)` has the bits among `reads` of the lookahead reads that `state` can no
    /// longer reach: a call leading there is not placed while one of those reads applies.
    func run(
        transition: (Int32, Int32) -> Int32,
        dead: (_ state: Int32, _ reads: UInt64) -> UInt64 = { _, _ in 0 },
        shouldStop: (_ heldBytes: Int) -> Bool
    ) -> Outcome {
        let n = mustLinearize.count
        let head = 2 * n
        // Doubly linked list of entries, head sentinel at index 2n, end marked by -1.
        var next = [Int32](repeating: -1, count: 2 * n + 1)
        var prev = [Int32](repeating: -1, count: 2 * n + 1)
        var last = Int32(head)
        for e in order {
            next[Int(last)] = e
            prev[Int(e)] = last
            last = e
        }
        // Only calls that must be placed take part in the cache's hash (see ConfigurationCache).
        var zobrist = [UInt64](repeating: 0, count: n)
        var seed: UInt64 = 0x1234_5678_9ABC_DEF1
        for i in 0..<n where mustLinearize[i] { zobrist[i] = splitmix(&seed) }

        let words = max(1, (n + 63) / 64)
        var bits = [UInt64](repeating: 0, count: words)
        var mustMask = [UInt64](repeating: 0, count: words)
        for i in 0..<n where mustLinearize[i] { mustMask[i >> 6] |= UInt64(1) << UInt64(i & 63) }
        var hash: UInt64 = 0
        var cache = ConfigurationCache(calls: n, mustMask: mustMask)
        let fullMask = cache.fullMask
        // The window of `bits`: words below `low` are full, words from `high` are empty.
        var low = 0
        var high = 0
        var memo = TransitionMemo()
        // Both are memos, bounded so that a long history's search holds its window, not its
        // length: the transition memo starts again past `memoLimit` entries, and the cache drops
        // the rows behind the window when it has doubled since it last did.
        let memoLimit = 1 << 20
        var compactAt = 1 << 18

        var remaining = mustLinearize.reduce(0) { $0 + ($1 ? 1 : 0) }
        // The lookahead reads not placed yet, and those whose suspending calls are all placed.
        let hasLookahead = !lookaheadBit.isEmpty
        var unplacedReads = lookaheadBit.reduce(0) { $0 | $1 }
        var suspenders = [Int32](repeating: 0, count: 64)
        for m in suspends { forEachBit(m) { suspenders[$0] += 1 } }
        var unsuspended: UInt64 = 0
        for j in 0..<64 where suspenders[j] == 0 { unsuspended |= UInt64(1) << UInt64(j) }
        var state = initialState
        var stackCall: [Int32] = []
        var stackState: [Int32] = []
        stackCall.reserveCapacity(n)
        stackState.reserveCapacity(n)
        // The longest prefix is updated lazily, when the search backtracks from a new maximum,
        // and only past `agree`, the length of the stack's prefix that it shares with `best`:
        // every call pushed is copied at most once.
        var best: [Int32] = []
        var bestState = initialState
        var atNewMaximum = false
        var agree = 0
        var entry = next[head]
        // Whether `entry` starts a new point of the search (right after a call was placed), where
        // an allowed observer is looked for first; `greedy` whether `entry` is one.
        let hasObservers = !observes.isEmpty
        var fresh = hasObservers
        var greedy = false
        var stackGreedy: [Bool] = []
        stackGreedy.reserveCapacity(hasObservers ? n : 0)
        var steps = 0
        var nextPoll = 256
        let fixedBytes = (next.capacity + prev.capacity + stackCall.capacity + stackState.capacity) * 4 + stackGreedy.capacity
            + (zobrist.capacity + bits.capacity + mustMask.capacity) * 8

        while true {
            if remaining == 0 { return .linearizable(stackCall) }
            steps &+= 1
            if steps & 0xFFF == 0 || cache.count >= nextPoll {
                if cache.count >= compactAt {
                    cache.dropRows(behind: low)
                    compactAt = max(1 << 18, 2 * cache.count)
                }
                if memo.count >= memoLimit { memo.removeAll() }
                nextPoll = cache.count + 256
                if shouldStop(fixedBytes + cache.bytes + memo.bytes + best.capacity * 4) {
                    if atNewMaximum || best.isEmpty { return .stopped(prefix: stackCall, state: state) }
                    return .stopped(prefix: best, state: bestState)
                }
            }
            if fresh {
                fresh = false
                // The first call up to the first return that changes nothing and is allowed now.
                var f = next[head]
                while f >= 0 && f & 1 == 0 {
                    if observes[Int(f >> 1)] && memo.step(state, Int(f >> 1), transition) == state {
                        entry = f
                        greedy = true
                        break
                    }
                    f = next[Int(f)]
                }
            }
            let e = Int(entry)
            if e >= 0 && e & 1 == 0 {
                let call = e >> 1
                let t = Int(twin[call])
                if t >= 0, bits[t >> 6] & (UInt64(1) << UInt64(t & 63)) == 0 {
                    entry = next[e]
                    continue
                }
                let nextState = memo.step(state, call, transition)
                if hasLookahead && nextState >= 0 {
                    // The reads that apply once this call is placed.
                    var freed: UInt64 = 0
                    forEachBit(suspends[call]) { j in if suspenders[j] == 1 { freed |= UInt64(1) << UInt64(j) } }
                    let applying = unplacedReads & ~lookaheadBit[call] & (unsuspended | freed)
                    if applying != 0 && dead(nextState, applying) != 0 {
                        // Refusing an allowed observer refuses this point (see `observes`).
                        entry = greedy ? -1 : next[e]
                        greedy = false
                        continue
                    }
                }
                if nextState >= 0 {
                    let w = call >> 6
                    let bit = UInt64(1) << UInt64(call & 63)
                    bits[w] |= bit
                    hash ^= zobrist[call]
                    let (oldLow, oldHigh) = (low, high)
                    high = max(high, w + 1)
                    while low < words && bits[low] == fullMask[low] { low += 1 }
                    if cache.insert(bits: bits, low: low, high: high, mustHash: hash, state: nextState) {
                        stackCall.append(Int32(call))
                        stackState.append(state)
                        if hasObservers {
                            stackGreedy.append(greedy)
                            greedy = false
                            fresh = true
                        }
                        state = nextState
                        // Lift the call and its return out of the list.
                        let r = e + 1
                        next[Int(prev[e])] = next[e]
                        if next[e] >= 0 { prev[Int(next[e])] = prev[e] }
                        next[Int(prev[r])] = next[r]
                        if next[r] >= 0 { prev[Int(next[r])] = prev[r] }
                        if mustLinearize[call] { remaining -= 1 }
                        if hasLookahead {
                            unplacedReads &= ~lookaheadBit[call]
                            forEachBit(suspends[call]) { j in
                                suspenders[j] -= 1
                                if suspenders[j] == 0 { unsuspended |= UInt64(1) << UInt64(j) }
                            }
                        }
                        if stackCall.count > best.count { atNewMaximum = true }
                        entry = next[head]
                        continue
                    }
                    bits[w] &= ~bit
                    hash ^= zobrist[call]
                    (low, high) = (oldLow, oldHigh)
                }
                entry = greedy ? -1 : next[e]
                greedy = false
            } else {
                // A return (or the end): its call must be linearized by now, and is not. Backtrack.
                if atNewMaximum {
                    best.removeSubrange(agree...)
                    best.append(contentsOf: stackCall[agree...])
                    agree = stackCall.count
                    bestState = state
                    atNewMaximum = false
                }
                guard let call = stackCall.popLast(), let previous = stackState.popLast() else {
                    return .notLinearizable(prefix: best, state: best.isEmpty ? initialState : bestState)
                }
                let c = Int(call)
                agree = min(agree, stackCall.count)
                state = previous
                let w = c >> 6
                bits[w] &= ~(UInt64(1) << UInt64(c & 63))
                hash ^= zobrist[c]
                low = min(low, w)
                while high > low && bits[high - 1] == 0 { high -= 1 }
                if mustLinearize[c] { remaining += 1 }
                if hasLookahead {
                    unplacedReads |= lookaheadBit[c]
                    forEachBit(suspends[c]) { j in
                        suspenders[j] += 1
                        unsuspended &= ~(UInt64(1) << UInt64(j))
                    }
                }
                // Unlift: restore the return, then the call (reverse order of removal).
                let ce = 2 * c
                let r = ce + 1
                next[Int(prev[r])] = Int32(r)
                if next[r] >= 0 { prev[Int(next[r])] = Int32(r) }
                next[Int(prev[ce])] = Int32(ce)
                if next[ce] >= 0 { prev[Int(next[ce])] = Int32(ce) }
                // After an observer placed greedily, nothing else is tried at its point.
                entry = hasObservers && stackGreedy.removeLast() ? -1 : next[ce]
            }
        }
    }
}

/// The search's memo of model steps: (state, call) to the next state, -1 when refused.
struct TransitionMemo {
    private var table = IntTable(capacity: 256)

    var count: Int { table.count }
    var bytes: Int { table.bytes }

    /// The state after `call` from `state`, from the memo or from `transition`.
    @inline(__always)
    mutating func step(_ state: Int32, _ call: Int, _ transition: (Int32, Int32) -> Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: state)) << 32 | UInt64(call)
        if let known = table.get(key) { return known }
        let after = transition(state, Int32(call))
        table.set(key, after)
        return after
    }

    /// Forgets every entry, keeping the table's size.
    mutating func removeAll() { table.removeAll() }
}

/// Calls `body` with the index of every set bit of `mask`, lowest first.
@inline(__always)
func forEachBit(_ mask: UInt64, _ body: (Int) -> Void) {
    var m = mask
    while m != 0 {
        body(m.trailingZeroBitCount)
        m &= m &- 1
    }
}

/// SplitMix64: a fast, well-mixed sequence of 64-bit numbers from a seed.
@inline(__always)
func splitmix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
