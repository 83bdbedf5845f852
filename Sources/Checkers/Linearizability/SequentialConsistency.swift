import Basics
import Histories

/// Whether a partition is still sequentially consistent: some order of its calls that keeps
/// every process's own order, but ignores real time, explains every result.
///
/// A history that is not linearizable but is sequentially consistent has readers that saw an
/// older state ("stale but ordered"); one that is not even sequentially consistent has a
/// process whose own operations cannot be put in order ("out of order"). The search places the
/// calls of each process in invocation order, interleaving processes in every way, memoising
/// (positions, state); `fail` calls never happened and are left out, and an `info` call (always
/// its process's last) may be placed or skipped. It is bounded by `maxStates` configurations
/// and by `deadline`, and answers nil beyond either.
enum SequentialConsistency {
    /// True or false, or nil when the bound was reached first.
    static func check<M: Model>(
        model: M, ops: OpLog, calls: [CallRecord], initial: M.State, nullReadsAreUnknown: Bool, maxStates: Int = 200_000,
        deadline: ContinuousClock.Instant? = nil
    ) -> Bool? {
        // Each process's calls in invocation order (a process has one call in flight at a time).
        var order: [ProcessID] = []
        var byProcess: [ProcessID: [(call: M.Call, must: Bool)]] = [:]
        guard let placed = try? model.placedCalls(calls, ops: ops, nullReadsAreUnknown: nullReadsAreUnknown) else { return nil }
        for (i, r) in placed.records.enumerated() {
            let process = ops.process(at: calls[r].invoke)
            if byProcess[process] == nil { order.append(process) }
            byProcess[process, default: []].append((placed.calls[i], placed.must[i]))
        }
        let sequences = order.compactMap { byProcess[$0] }
        var states: [M.State] = [initial]
        var ids: [M.State: Int32] = [initial: 0]
        func id(_ s: M.State) -> Int32 {
            if let i = ids[s] { return i }
            let i = Int32(states.count)
            states.append(s)
            ids[s] = i
            return i
        }
        // A configuration: each process's position, then the state's id.
        var seen = Set<[Int32]>()
        var stack: [[Int32]] = [Array(repeating: 0, count: sequences.count) + [0]]
        while let config = stack.popLast() {
            guard seen.insert(config).inserted else { continue }
            if seen.count > maxStates { return nil }
            if let deadline, seen.count % 1024 == 0, ContinuousClock.now > deadline { return nil }
            let state = states[Int(config[sequences.count])]
            var done = true
            for (p, seq) in sequences.enumerated() where Int(config[p]) < seq.count {
                done = false
                let (call, must) = seq[Int(config[p])]
                var next = config
                next[p] += 1
                if !must { stack.append(next) }  // an unknown outcome that never took effect
                if let after = model.step(state, call) {
                    next[sequences.count] = id(after)
                    stack.append(next)
                }
            }
            if done { return true }
        }
        return false
    }

    /// The sentence a report adds to a key that is not linearizable.
    static func sentence(_ answer: Bool?) -> String {
        switch answer {
        case true?:
            return "It is still sequentially consistent: an order that keeps each process's own order explains every "
                + "result once real time is ignored, so the anomaly is staleness (a read saw an older state), not disorder."
        case false?:
            return "It is not even sequentially consistent: no order that keeps each process's own order explains the "
                + "results, so some process saw its own operations out of order."
        case nil:
            return "Whether it is sequentially consistent was not decided within the search's bound."
        }
    }
}

extension CheckResult {
    /// Says, for each partition that is not linearizable (at most `limit`, within `timeLimit` in
    /// all), whether it is still sequentially consistent: the answer goes into
    /// ``PartitionResult/sequentiallyConsistent`` and a sentence is added to its explanation.
    ///
    /// A diagnosis, not a verdict: it never delays the verdict by more than `timeLimit`; a
    /// partition it had no time for says so.
    public mutating func diagnoseSequentialConsistency(
        model: any Model, ops: OpLog, initial: JSONValue?, nullReadsAreUnknown: Bool, limit: Int = 10,
        timeLimit: Duration = .seconds(2)
    ) {
        let deadline = ContinuousClock.now + timeLimit
        func run<M: Model>(_ model: M) {
            guard let start = try? model.initialState(initial) else { return }
            var left = limit
            for i in partitions.indices where partitions[i].verdict == .invalid && left > 0 {
                left -= 1
                let answer = SequentialConsistency.check(
                    model: model, ops: ops, calls: partitions[i].calls, initial: start, nullReadsAreUnknown: nullReadsAreUnknown,
                    deadline: deadline)
                partitions[i].sequentiallyConsistent = answer
                if var explanation = partitions[i].anomaly {
                    explanation.prose += (explanation.prose.hasSuffix("\n") || explanation.prose.isEmpty ? "" : "\n")
                        + SequentialConsistency.sentence(answer)
                    partitions[i].anomaly = explanation
                }
            }
        }
        run(model)
    }
}
