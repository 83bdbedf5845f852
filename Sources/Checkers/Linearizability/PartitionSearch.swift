import Basics
import Histories

/// Checks one partition with one model: compiles its calls, interns states, runs the search.
struct PartitionSearch<M: Model> {
    let model: M
    let ops: OpLog
    let key: String?
    let calls: [CallRecord]
    let initial: M.State
    let nullReadsAreUnknown: Bool

    /// Runs the search. `stop` is polled with the bytes the search holds; a reason it returns
    /// stops the search with an unknown verdict and that reason as the note.
    func run(stop: (_ heldBytes: Int) -> String?) throws(CheckError) -> PartitionResult {
        let clock = ContinuousClock()
        let start = clock.now
        let compiled = try model.placedCalls(calls, ops: ops, nullReadsAreUnknown: nullReadsAreUnknown)
        let n = compiled.calls.count

        // Real-time order of entries: invocations and ok returns at their positions, the
        // returns of unknown-outcome calls after everything (they may take effect any time).
        var events: [(position: Int, entry: Int32)] = []
        events.reserveCapacity(2 * n)
        for i in 0..<n {
            let rec = calls[compiled.records[i]]
            events.append((rec.invoke, Int32(2 * i)))
            let end = compiled.must[i] ? (rec.completion ?? Int.max) : Int.max
            events.append((end, Int32(2 * i + 1)))
        }
        events.sort { $0.position != $1.position ? $0.position < $1.position : $0.entry < $1.entry }

        var states: [M.State] = [initial]
        // What interned states hold on the heap (strings, maps), counted against the memory limit.
        var stateHeapBytes = model.heapBytes(initial)
        var ids: [M.State: Int32] = [initial: 0]
        // Unknown-outcome calls with equal effects are interchangeable: the search places them only
        // in invocation order (each waits for the previous equal one), which cuts 2^k subsets to
        // one per count.
        var twin = [Int32](repeating: -1, count: n)
        var lastEqual: [M.Call: Int32] = [:]
        for i in 0..<n where !compiled.must[i] {
            twin[i] = lastEqual[compiled.calls[i]] ?? -1
            lastEqual[compiled.calls[i]] = Int32(i)
        }
        var reason: String?
        var core = SearchCore(order: events.map(\.entry), mustLinearize: compiled.must, twin: twin, initialState: 0)
        let observes = (0..<n).map { compiled.must[$0] && model.isReadOnly(compiled.calls[$0]) }
        if observes.contains(true) { core.observes = observes }
        // Lookahead reads: at most 64 of the model's, spread evenly over those that must be placed.
        let offered = model.lookahead(compiled.calls).filter { compiled.must[$0.call] }
        let lookahead = offered.count <= 64 ? offered : (0..<64).map { offered[$0 * offered.count / 64] }
        // Per interned state, the lookahead reads tested so far and those it cannot reach.
        var tested: [UInt64] = [0]
        var deadBits: [UInt64] = [0]
        if !lookahead.isEmpty {
            core.lookaheadBit = [UInt64](repeating: 0, count: n)
            core.suspends = [UInt64](repeating: 0, count: n)
            for (j, read) in lookahead.enumerated() {
                let bit = UInt64(1) << UInt64(j)
                core.lookaheadBit[read.call] = bit
                let done = calls[compiled.records[read.call]].completion ?? Int.max
                // A reset invoked after the read completed comes after it in every order.
                for r in read.resets where calls[compiled.records[r]].invoke < done { core.suspends[r] |= bit }
            }
        }
        let outcome = core.run(
            transition: { s, c in
                guard let next = model.step(states[Int(s)], compiled.calls[Int(c)]) else { return -1 }
                // A read leaves the state as it was: no need to hash it.
                if next == states[Int(s)] { return s }
                if let id = ids[next] { return id }
                let id = Int32(states.count)
                tested.append(0)
                deadBits.append(0)
                stateHeapBytes += model.heapBytes(next)
                states.append(next)
                ids[next] = id
                return id
            },
            dead: { s, applying in
                let i = Int(s)
                forEachBit(applying & ~tested[i]) { j in
                    if !lookahead[j].reaches(states[i]) { deadBits[i] |= UInt64(1) << UInt64(j) }
                }
                tested[i] |= applying
                return deadBits[i] & applying
            },
            shouldStop: { coreBytes in
                // Model states: their inline size (twice: the list and the intern table) and their heap.
                let stateBytes = stateHeapBytes + states.capacity * MemoryLayout<M.State>.stride + (tested.capacity + deadBits.capacity) * 8
                    + ids.capacity * (MemoryLayout<M.State>.stride + 12)
                reason = stop(coreBytes + stateBytes)
                return reason != nil
            })

        var result = PartitionResult(
            key: key, verdict: .valid, calls: calls, searchedCount: n, elapsedSeconds: 0, note: nil, anomaly: nil)
        switch outcome {
        case .linearizable:
            break
        case .notLinearizable(let prefix, let s):
            result.verdict = .invalid
            let (p, st) = lookahead.isEmpty ? (prefix, states[Int(s)]) : extend(prefix, states[Int(s)], compiled: compiled, events: events)
            result.anomaly = explain(prefix: p, state: st, compiled: compiled, events: events, finished: true)
        case .stopped(let prefix, let s):
            result.verdict = .unknown
            result.note = reason ?? "stopped"
            let (p, st) = lookahead.isEmpty ? (prefix, states[Int(s)]) : extend(prefix, states[Int(s)], compiled: compiled, events: events)
            result.anomaly = explain(prefix: p, state: st, compiled: compiled, events: events, finished: false)
        }
        result.elapsedSeconds = (clock.now - start).seconds
        return result
    }

    /// Extends a prefix found with the lookahead greedily without it (each step places the first
    /// call in real-time order that the model allows, until a return blocks), so that the
    /// explanation ends where the model itself says no (a stale read) rather than at the call
    /// the lookahead refused. Bounded: at most a million entries looked at.
    private func extend(
        _ prefix: [Int32], _ state: M.State, compiled: PlacedCalls<M.Call>, events: [(position: Int, entry: Int32)]
    ) -> ([Int32], M.State) {
        var out = prefix
        var placed = Set(prefix)
        var s = state
        var budget = 1_000_000
        var progress = true
        while progress && budget > 0 {
            progress = false
            for e in events {
                budget -= 1
                if budget <= 0 { break }
                if placed.contains(e.entry >> 1) { continue }
                if e.entry & 1 == 1 { break }
                let c = e.entry >> 1
                guard let next = model.step(s, compiled.calls[Int(c)]) else { continue }
                s = next
                placed.insert(c)
                out.append(c)
                progress = true
                break
            }
        }
        return (out, s)
    }

    /// Builds the explanation: the prefix with states, the first completion left, and every candidate.
    private func explain(
        prefix: [Int32], state: M.State, compiled: PlacedCalls<M.Call>, events: [(position: Int, entry: Int32)], finished: Bool
    ) -> Explanation {
        var steps: [Explanation.Step] = []
        var s = initial
        for c in prefix {
            let call = compiled.calls[Int(c)]
            s = model.step(s, call) ?? s
            steps.append(Explanation.Step(op: calls[compiled.records[Int(c)]].invoke, call: model.describe(call), stateAfter: model.describe(s)))
        }
        let placed = Set(prefix)
        var candidates: [Int32] = []
        var blocking: Int32?
        for e in events where !placed.contains(e.entry >> 1) {
            if e.entry & 1 == 1 {
                blocking = e.entry >> 1
                break
            }
            candidates.append(e.entry >> 1)
        }
        let invokeOf = { (c: Int32) in calls[compiled.records[Int(c)]].invoke }
        let attempts = candidates.map { c -> Explanation.Attempt in
            let call = compiled.calls[Int(c)]
            if let next = model.step(state, call) {
                return Explanation.Attempt(op: invokeOf(c), call: model.describe(call), allowed: true, reason: "leads to \(model.describe(next)), from which no order completes")
            }
            return Explanation.Attempt(op: invokeOf(c), call: model.describe(call), allowed: false, reason: model.whyNot(call, in: state))
        }
        let anomaly = Explanation(
            prefix: steps, stateAfterPrefix: model.describe(state), blocking: blocking.map(invokeOf),
            attempts: attempts, prose: "")
        return Prose.withProse(anomaly, ops: ops, key: key, finished: finished)
    }
}
