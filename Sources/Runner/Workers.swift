import Systems
import Histories
import Synchronization

/// Runs the client workers of a test: one task per worker, each with its own client and process number.
///
/// A worker draws its next request from its `OperationSource`, records the invocation, sends it,
/// records the completion, and after an `info` (outcome unknown) takes a fresh process number,
/// so that no process ever has two operations in flight. Workers stop at the deadline or when
/// their task is cancelled; a request in flight is allowed to finish (its client has a timeout).
public struct Workers: Sendable {
    public var seed: UInt64
    public var mix: [String: Double]
    public var values: Int
    /// Total operations per second across workers; 0 for no limit.
    public var rate: Double

    public init(seed: UInt64, mix: [String: Double], values: Int, rate: Double) {
        self.seed = seed
        self.mix = mix
        self.values = values
        self.rate = rate
    }

    /// Runs `clients.count` workers until `deadline` (or, when given, until `maxOperations` have
    /// been invoked); `nodes[i]` names worker i's node in the history.
    public func run(
        clients: [any Client], nodes: [String], recorder: Recorder, keys: KeyAllocator,
        until deadline: ContinuousClock.Instant, maxOperations: Int? = nil
    ) async {
        let count = clients.count
        let budget = Budget(maxOperations ?? Int.max)
        let period: Duration? = rate > 0 ? .nanoseconds(Int64(Double(count) / rate * 1e9)) : nil
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<count {
                let client = clients[w]
                let node = w < nodes.count ? nodes[w] : nil
                var source = OperationSource(seed: seed, worker: w, mix: mix, values: values)
                group.addTask {
                    var process = w
                    // Spread the workers' first operations over one period.
                    var next = start + (period.map { $0 * Double(w) / Double(max(1, count)) } ?? .zero)
                    while !Task.isCancelled, ContinuousClock.now < deadline, budget.take() {
                        if let period {
                            if next > ContinuousClock.now {
                                try? await Task.sleep(until: min(next, deadline), clock: .continuous)
                                if Task.isCancelled || ContinuousClock.now >= deadline { break }
                            }
                            next += period
                        }
                        let request = source.next(key: keys.next())
                        recorder.invoke(process: process, request, node: node)
                        let response = await client.invoke(request)
                        recorder.complete(process: process, request, response, node: node)
                        if response.type == .info { process += count }
                    }
                }
            }
        }
    }

    /// Reads every key once, spreading the reads over the clients; used after healing.
    public func finalReads(clients: [any Client], nodes: [String], recorder: Recorder, keys: [String], firstProcess: Int) async {
        guard !clients.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for (w, client) in clients.enumerated() {
                let mine = stride(from: w, to: keys.count, by: clients.count).map { keys[$0] }
                let node = w < nodes.count ? nodes[w] : nil
                group.addTask {
                    var process = firstProcess + w
                    for key in mine {
                        let request = ClientRequest(f: "read", key: key, value: .null)
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
