import Basics
import Synchronization

/// The limits that the partitions of one check share: time, memory, early stop, cancellation.
///
/// Every running search polls ``PartitionBudget/reason(heldBytes:)``; the first limit reached
/// gives the note of its unknown verdict. Memory is the sum of what the running searches report
/// holding, so a search stops when the searches together pass ``CheckOptions/maxMemoryBytes``.
final class CheckBudget: Sendable {
    /// The first invalid partition, and until when the others may still run.
    private struct EarlyStop: Sendable {
        var key: String?
        var graceEnd: ContinuousClock.Instant
    }

    let clock = ContinuousClock()
    let options: CheckOptions
    private let start: ContinuousClock.Instant
    private let overall: ContinuousClock.Instant?
    /// Set when a partition's history cannot be read: the others stop at once.
    let cancelled = Atomic<Bool>(false)
    private let heldBytes = Atomic<Int>(0)
    private let invalidFound = Atomic<Bool>(false)
    private let earlyStop = Mutex<EarlyStop?>(nil)

    init(options: CheckOptions, start: ContinuousClock.Instant) {
        self.options = options
        self.start = start
        overall = options.timeoutSeconds.map { start + .seconds(fractional: $0) }
    }

    /// Why a partition must not start now (recorded as its note), or nil.
    func reasonNotToStart() -> String? {
        if cancelled.load(ordering: .relaxed) { return "cancelled" }
        let now = clock.now
        if let note = earlyStopNote(at: now) { return note }
        if let overall, now >= overall {
            return "not checked: the time limit of \(options.timeoutSeconds ?? 0) s was reached first"
        }
        return nil
    }

    /// The budget of one partition that starts now.
    func partition() -> PartitionBudget {
        let own = options.partitionTimeoutSeconds.map { clock.now + .seconds(fractional: $0) }
        return PartitionBudget(budget: self, deadline: own)
    }

    /// Records that the partition of `key` is not linearizable; with ``CheckOptions/stopEarly`` the
    /// others get as long again as the check has run so far, at most
    /// ``CheckOptions/earlyStopGraceSeconds``: the verdict comes at most twice as late as the
    /// first refutation, as Porcupine's comes at the first.
    func foundInvalid(key: String?) {
        guard options.stopEarly else { return }
        let now = clock.now
        let graceEnd = now + min(.seconds(fractional: options.earlyStopGraceSeconds), now - start)
        earlyStop.withLock { if $0 == nil { $0 = EarlyStop(key: key, graceEnd: graceEnd) } }
        invalidFound.store(true, ordering: .releasing)
    }

    /// The note of a partition stopped early, once the grace period after an invalid one is over.
    private func earlyStopNote(at now: ContinuousClock.Instant) -> String? {
        guard invalidFound.load(ordering: .acquiring), let stop = earlyStop.withLock({ $0 }), now >= stop.graceEnd else {
            return nil
        }
        let what = stop.key.map { "key \"\($0)\"" } ?? "another partition"
        return "not decided: stopped early after \(what) was found not linearizable"
    }

    /// Why a running search must stop, given that it holds `delta` bytes more than it last said.
    fileprivate func reason(deadline: ContinuousClock.Instant?, addingBytes delta: Int) -> String? {
        if cancelled.load(ordering: .relaxed) { return "cancelled" }
        let total = heldBytes.wrappingAdd(delta, ordering: .relaxed).newValue
        if let limit = options.maxMemoryBytes, total > limit {
            return "stopped: the search held \(MachineMemory.megabytes(total)), above --max-memory (\(MachineMemory.megabytes(limit)))"
        }
        let now = clock.now
        if let note = earlyStopNote(at: now) { return note }
        if let overall, now >= overall {
            return "timed out: the time limit of \(options.timeoutSeconds ?? 0) s was reached"
        }
        if let deadline, now >= deadline {
            return "timed out after \(options.partitionTimeoutSeconds ?? 0) s on this partition"
        }
        return nil
    }

    /// Forgets `bytes` that a finished search held.
    fileprivate func release(_ bytes: Int) {
        heldBytes.wrappingSubtract(bytes, ordering: .relaxed)
    }
}

/// One partition's share of a ``CheckBudget``: its own deadline and the bytes it reported.
struct PartitionBudget {
    let budget: CheckBudget
    let deadline: ContinuousClock.Instant?
    private var reportedBytes = 0

    init(budget: CheckBudget, deadline: ContinuousClock.Instant?) {
        self.budget = budget
        self.deadline = deadline
    }

    /// Why the search, which now holds `heldBytes`, must stop; nil to go on.
    mutating func reason(heldBytes: Int) -> String? {
        let delta = heldBytes - reportedBytes
        reportedBytes = heldBytes
        return budget.reason(deadline: deadline, addingBytes: delta)
    }

    /// Returns the bytes reported to the shared count, once the search has ended.
    mutating func finish() {
        budget.release(reportedBytes)
        reportedBytes = 0
    }
}
