import Basics
import Checkers
import Systems
import Foundation
import Histories
import Runner
import Testing
import Workloads

/// Workers, recorder and checker together, against in-process stores: no cluster needed.
struct PipelineTests {
    /// Runs 8 workers for 4,000 operations (the deadline only guards against a hang: on a busy
    /// machine the cooperative pool may start the workers late).
    func run(store: InMemoryRegisterStore, values: Int = 3) async throws -> (History, CheckResult) {
        let path = NSTemporaryDirectory() + "schism-pipeline-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try Recorder(path: path)
        let clients = (0..<8).map { _ in store.client() }
        let keys = KeyAllocator(opsPerKey: 50)
        var workload = RegisterWorkload()
        workload.values = values
        let workers = Workers(seed: 7, workload: workload, rate: 0, clock: SystemRunClock())
        await workers.run(clients: clients, nodes: [], recorder: recorder, keys: keys, untilNanoseconds: 60_000_000_000, maxOperations: 4_000)
        await workers.finalRequests(workload.finalRequests(keys: keys.keys), clients: clients, nodes: [], recorder: recorder, firstProcess: 1000)
        try recorder.finish()
        let history = try HistoryReader.read(path: path)
        let result = try LinearizabilityChecker(model: RegisterModel(allowsCAS: true)).check(history)
        return (history, result)
    }

    @Test func linearizableStoreGivesValidHistory() async throws {
        let (history, result) = try await run(store: InMemoryRegisterStore())
        #expect(result.verdict == .valid)
        #expect(result.operationCount == 4_000 + result.partitions.count)  // plus one final read per key
        #expect(result.partitions.count == 80)
        // Line order is real-time order: times never go backwards.
        let times = history.operations.compactMap(\.time)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func staleReadsAreCaught() async throws {
        let (_, result) = try await run(store: InMemoryRegisterStore(staleReadEvery: 50), values: 1_000)
        #expect(result.verdict == .invalid)
        #expect(!result.failures.isEmpty)
    }

    @Test func keysRotateAfterTheirBudget() {
        let keys = KeyAllocator(opsPerKey: 3)
        let seen = (0..<7).map { _ in keys.next() }
        #expect(seen == ["k0", "k0", "k0", "k1", "k1", "k1", "k2"])
        #expect(keys.keys == ["k0", "k1", "k2"])
    }

    @Test func registerGeneratorIsReproducible() {
        var a = RegisterGenerator(seed: 42, worker: 3, mix: ["read": 1, "write": 1, "cas": 1], values: 5)
        var b = RegisterGenerator(seed: 42, worker: 3, mix: ["read": 1, "write": 1, "cas": 1], values: 5)
        var c = RegisterGenerator(seed: 43, worker: 3, mix: ["read": 1, "write": 1, "cas": 1], values: 5)
        let sa = (0..<50).map { _ in a.next(key: "k") }
        #expect(sa == (0..<50).map { _ in b.next(key: "k") })
        #expect(sa != (0..<50).map { _ in c.next(key: "k") })
        #expect(Set(sa.map(\.f)) == ["read", "write", "cas"])
    }

    @Test func rateLimitHoldsTheRate() async throws {
        let path = NSTemporaryDirectory() + "schism-rate-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try Recorder(path: path)
        let store = InMemoryRegisterStore()
        var workload = RegisterWorkload()
        workload.mix = ["read": 1]
        let workers = Workers(seed: 1, workload: workload, rate: 200, clock: SystemRunClock())
        await workers.run(clients: (0..<4).map { _ in store.client() }, nodes: [], recorder: recorder,
                          keys: KeyAllocator(opsPerKey: 10), untilNanoseconds: 60_000_000_000, maxOperations: 100)
        try recorder.finish()
        // No operation is sent before its turn: at 200 ops/s over 4 workers each worker's 25th
        // operation is due 24 × 20 ms after the start, however late the workers began (a late
        // worker catches up in a burst, so the span between first and last says nothing).
        let last = try HistoryReader.read(path: path).operations.compactMap(\.time).max() ?? 0
        #expect(recorder.counts[.ok, default: 0] == 100)
        #expect(Double(last) / 1e9 >= 0.47, "100 ops done \(Double(last) / 1e9) s after the start: faster than 200 ops/s")
    }
}

/// The runner's time is injectable: workers paced by a clock the test moves by hand.
struct ManualClockTests {
    @Test func workersKeepTheRateOfAManualClockExactly() async throws {
        let path = NSTemporaryDirectory() + "schism-manual-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ManualClock()
        let recorder = try Recorder(path: path, clock: clock)
        let store = InMemoryRegisterStore()
        var workload = RegisterWorkload()
        workload.mix = ["read": 1]
        // 4 workers at 40 ops/s: each is due every 100 ms of the manual clock.
        let workers = Workers(seed: 1, workload: workload, rate: 40, clock: clock)
        let run = Task {
            await workers.run(clients: (0..<4).map { _ in store.client() }, nodes: [], recorder: recorder,
                              keys: KeyAllocator(opsPerKey: 10), untilNanoseconds: 1_000_000_000)
        }
        // Let every worker reach its first sleep, then move time 10 ms at a time up to the deadline.
        for _ in 0..<1_000 where clock.sleeperCount < 4 { try await Task.sleep(for: .milliseconds(1)) }
        for _ in 0..<100 {
            clock.advance(by: .milliseconds(10))
            for _ in 0..<200 where clock.sleeperCount < 4 && clock.elapsedNanoseconds() < 1_000_000_000 {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        await run.value
        try recorder.finish()
        let history = try HistoryReader.read(path: path)
        // The first operation of each worker is spread over the first period and sent at once
        // for worker 0; then one per worker every 100 ms until the clock reads 1 s: 40 in all.
        #expect(recorder.counts[.invoke, default: 0] == 40)
        // Times are the manual clock's: all below the deadline, on 10 ms steps.
        let times = history.operations.compactMap(\.time)
        #expect(times.allSatisfy { $0 < 1_000_000_000 && $0 % 10_000_000 == 0 })
    }

    @Test func aSleeperWakesOnlyWhenItsTimeComes() async throws {
        let clock = ManualClock()
        let woke = Task { try await clock.sleep(untilNanoseconds: 500); return clock.elapsedNanoseconds() }
        for _ in 0..<1_000 where clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        clock.advance(by: .nanoseconds(499))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .nanoseconds(1))
        #expect(try await woke.value == 500)
        // A cancelled sleeper throws and leaves.
        let cancelled = Task { try await clock.sleep(untilNanoseconds: 10_000) }
        for _ in 0..<1_000 where clock.sleeperCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(clock.sleeperCount == 0)
    }
}

/// Jepsen's independent, concurrent generator: workers share keys in small groups.
struct KeyGroupTests {
    @Test func groupsOfWorkersShareAKeyAndMoveOnTogether() {
        let keys = KeyAllocator(opsPerKey: 4, clientsPerKey: 2)
        // Workers 0 and 1 form group 0, workers 2 and 3 group 1: two keys busy at once.
        #expect(keys.next(worker: 0) == "k0")
        #expect(keys.next(worker: 2) == "k1")
        #expect(keys.next(worker: 1) == "k0")
        #expect(keys.next(worker: 3) == "k1")
        #expect(keys.next(worker: 0) == "k0")
        #expect(keys.next(worker: 1) == "k0")
        // Group 0 spent k0's budget: its next key is fresh, and group 1 keeps k1.
        #expect(keys.next(worker: 1) == "k2")
        #expect(keys.next(worker: 0) == "k2")
        #expect(keys.next(worker: 2) == "k1")
        #expect(keys.keys == ["k0", "k1", "k2"])
    }

    @Test func aRunsKeysHaveAtMostTheGroupOnThem() async throws {
        let path = NSTemporaryDirectory() + "schism-groups-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try Recorder(path: path)
        let store = InMemoryRegisterStore()
        var workload = RegisterWorkload()
        workload.clientsPerKey = 3
        workload.opsPerKey = 30
        let workers = Workers(seed: 3, workload: workload, rate: 0, clock: SystemRunClock())
        await workers.run(clients: (0..<9).map { _ in store.client() }, nodes: [], recorder: recorder,
                          keys: KeyAllocator(opsPerKey: workload.opsPerKey, clientsPerKey: workload.clientsPerKey),
                          untilNanoseconds: 60_000_000_000, maxOperations: 900)
        try recorder.finish()
        let history = try HistoryReader.read(path: path)
        var processesByKey: [String: Set<Int>] = [:]
        for op in history.operations where op.type == .invoke {
            if case .client(let p) = op.process, let key = op.key { processesByKey[key, default: []].insert(p % 9) }
        }
        // 9 workers in groups of 3: every key saw the workers of one group only.
        #expect(processesByKey.count >= 30)
        #expect(processesByKey.values.allSatisfy { $0.count <= 3 && Set($0.map { $0 / 3 }).count == 1 })
    }
}
