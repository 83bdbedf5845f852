import Basics
import Dispatch
import Histories
import Synchronization

/// Checks histories for linearizability against a model, partition by partition, on every core.
public struct LinearizabilityChecker: Sendable {
    public let model: any Model
    public let options: CheckOptions

    public init(model: any Model, options: CheckOptions = CheckOptions()) {
        self.model = model
        self.options = options
    }

    /// Checks the history. Throws when its operations do not pair up or the model cannot read one.
    public func check(_ history: History) throws(CheckError) -> CheckResult {
        try check(operations: history.operations)
    }

    /// Checks operations in an array, in real-time order (`ops[i].index == i`).
    public func check(operations ops: [Op]) throws(CheckError) -> CheckResult {
        try check(operations: OpLog(ops))
    }

    /// Checks operations in real-time order (`ops[i].index == i`).
    public func check(operations ops: OpLog) throws(CheckError) -> CheckResult {
        // Built-in models get a specialised search; any other model runs through its witness table.
        switch model {
        case let m as RegisterModel: return try run(m, ops)
        case let m as KVModel: return try run(m, ops)
        case let m as MutexModel: return try run(m, ops)
        case let m as MultiRegisterModel: return try run(m, ops)
        case let m as SetModel: return try run(m, ops)
        default: return try run(model, ops)
        }
    }

    private final class Shared: Sendable {
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let results: Mutex<[Result<PartitionResult, CheckError>?]>

        init(count: Int) { results = Mutex(Array(repeating: nil, count: count)) }
    }

    private func run<M: Model>(_ model: M, _ ops: OpLog) throws(CheckError) -> CheckResult {
        let clock = ContinuousClock()
        let start = clock.now
        let initial: M.State
        do { initial = try model.initialState(options.initial) } catch {
            throw CheckError(index: nil, message: "initial value: \(error.message)")
        }
        // The calls, grouped; the ungrouped list is dropped once grouped (10M calls hold 120 MB).
        let (keys, groups, callCount): ([String?], [[CallRecord]], Int)
        do {
            let calls = try Pairing.calls(ops)
            (keys, groups) = partition(calls, ops)
            callCount = calls.count
        } catch { throw CheckError(index: error.index, message: error.message) }
        // Largest partitions first, so that one long search does not start last.
        let schedule = groups.indices.sorted { groups[$0].count > groups[$1].count }
        let shared = Shared(count: groups.count)
        let budget = CheckBudget(options: options, start: start)
        let workers = min(options.parallelism, max(1, groups.count))
        let nullReadsAreUnknown = options.nullReadsAreUnknown

        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let n = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                if n >= schedule.count { return }
                let g = schedule[n]
                let result: Result<PartitionResult, CheckError>
                if let note = budget.reasonNotToStart() {
                    result = .success(PartitionResult(
                        key: keys[g], verdict: .unknown, calls: groups[g], searchedCount: 0, elapsedSeconds: 0,
                        note: note, anomaly: nil))
                } else {
                    let search = PartitionSearch(model: model, ops: ops, key: keys[g], calls: groups[g], initial: initial,
                        nullReadsAreUnknown: nullReadsAreUnknown)
                    var own = budget.partition()
                    do throws(CheckError) {
                        let found = try search.run(stop: { own.reason(heldBytes: $0) })
                        if found.verdict == .invalid { budget.foundInvalid(key: keys[g]) }
                        result = .success(found)
                    } catch {
                        result = .failure(error)
                        budget.cancelled.store(true, ordering: .relaxed)
                    }
                    own.finish()
                }
                shared.results.withLock { $0[g] = result }
                if let progress = options.progress {
                    progress(shared.done.wrappingAdd(1, ordering: .relaxed).newValue, schedule.count)
                }
            }
        }

        var partitions: [PartitionResult] = []
        var firstError: CheckError?
        for r in shared.results.withLock({ $0 }) {
            switch r {
            case .success(let p)?: partitions.append(p)
            case .failure(let e)?:
                if firstError == nil || (e.index ?? .max) < (firstError?.index ?? .max) { firstError = e }
            case nil: break
            }
        }
        if let firstError { throw firstError }
        let verdict = partitions.reduce(Verdict.valid) { $0.merged(with: $1.verdict) }
        return CheckResult(
            model: model.name, verdict: verdict, partitions: partitions, operationCount: callCount,
            elapsedSeconds: (clock.now - start).seconds)
    }

    /// Groups calls by key (or into one group), keeping keys in order of first appearance.
    private func partition(_ calls: [CallRecord], _ ops: OpLog) -> ([String?], [[CallRecord]]) {
        guard options.partitionByKey else { return ([nil], [calls]) }
        var keys: [String?] = []
        var groups: [[CallRecord]] = []
        // Interned key id + 1 (0 for no key) → group, -1 until seen.
        var slot = [Int](repeating: -1, count: ops.keyCount + 1)
        for c in calls {
            let k = Int(ops.keyID(c.invoke)) + 1
            if slot[k] >= 0 {
                groups[slot[k]].append(c)
            } else {
                slot[k] = groups.count
                keys.append(ops.keyName(Int32(k - 1)))
                groups.append([c])
            }
        }
        return (keys, groups)
    }
}
