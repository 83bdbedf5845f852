import Basics
import Systems
import Synchronization
import Workloads

/// Runs the client workers of a test: one task per worker, each with its own client and process number.
///
/// A worker draws its next request from its generator (the workload's, seeded per worker),
/// records the invocation, sends it, records the completion, and after an `info` (outcome
/// unknown) takes a fresh process number, so that no process ever has two operations in
/// flight. Workers stop at the deadline or when their task is cancelled; a request in flight is
/// allowed to finish (its client has a timeout).
public struct Workers: Sendable {
    public var seed: UInt64
    public var workload: any Workload
    /// Total operations per second across workers; 0 for no limit.
    public var rate: Double
    /// The run's clock.
    public var clock: any RunClock

    public init(seed: UInt64, workload: any Workload, rate: Double, clock: any RunClock) {
        self.seed = seed
        self.workload = workload
        self.rate = rate
        self.clock = clock
    }

    /// Runs `clients.count` workers until the clock reads `deadlineNanoseconds` (or, when given,
    /// until `maxOperations` have been invoked); `nodes[i]` names worker i's node in the history.
    public func run(
        clients: [any Client], nodes: [String], recorder: Recorder, keys: KeyAllocator,
        untilNanoseconds deadline: Int64, maxOperations: Int? = nil
    ) async {
        let count = clients.count
        let budget = Budget(maxOperations ?? Int.max)
        let period: Int64? = rate > 0 ? Int64(Double(count) / rate * 1e9) : nil
        let start = clock.elapsedNanoseconds()
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<count {
                let client = clients[w]
                let node = w < nodes.count ? nodes[w] : nil
                var generator = workload.generator(seed: seed, worker: w)
                group.addTask {
                    var process = w
                    // Spread the workers' first operations over one period.
                    var next = start + (period.map { $0 * Int64(w) / Int64(max(1, count)) } ?? 0)
                    while !Task.isCancelled, clock.elapsedNanoseconds() < deadline, budget.take() {
                        if let period {
                            if next > clock.elapsedNanoseconds() {
                                try? await clock.sleep(untilNanoseconds: min(next, deadline))
                                if Task.isCancelled || clock.elapsedNanoseconds() >= deadline { break }
                            }
                            next += period
                        }
                        let request = generator.next(keys: keys.worker(w))
                        recorder.invoke(process: process, request, node: node)
                        let response = await client.invoke(request)
                        recorder.complete(process: process, request, response, node: node)
                        if response.type == .info { process += count }
                    }
                }
            }
        }
    }

    /// Sends `requests` once each, spread over the clients; used after healing to read the final state.
    public func finalRequests(_ requests: [ClientRequest], clients: [any Client], nodes: [String], recorder: Recorder, firstProcess: Int) async {
        guard !clients.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for (w, client) in clients.enumerated() {
                let mine = stride(from: w, to: requests.count, by: clients.count).map { requests[$0] }
                let node = w < nodes.count ? nodes[w] : nil
                group.addTask {
                    var process = firstProcess + w
                    for request in mine {
                        recorder.invoke(process: process, request, node: node)
                        let response = await client.invoke(request)
                        recorder.complete(process: process, request, response, node: node)
                        if response.type == .info { process += clients.count }
                    }
                }
            }
        }
    }
}

/// A count of operations shared by the workers.
private final class Budget: Sendable {
    private let left: Atomic<Int>

    init(_ total: Int) { left = Atomic(total) }

    /// Takes one operation from the budget; false once it is spent.
    func take() -> Bool { left.subtract(1, ordering: .relaxed).newValue >= 0 }
}
