import Basics
import Checkers
import Foundation
import SyntheticHistories
import Histories
import Runner
import Workloads

/// Benchmarks that print numbers: `swift run -c release schism-bench [checker|porcupine [PEER-DIR]|runner|adapter|serve|versions|memory|transactions|big-check FILE]`.
///
/// `checker` times the shared Porcupine histories, the kv files as one partition, and a
/// generated 1,000,000-operation history (parse and check in a child process, for its peak memory).
@main
enum Bench {
    static func main() async throws {
        let args = CommandLine.arguments.dropFirst()
        switch args.first {
        case "big-check":
            guard let file = args.dropFirst().first else { fatalError("big-check needs a file") }
            try bigCheck(file)
        case "one-partition":
            guard let file = args.dropFirst().first else { fatalError("one-partition needs a file") }
            let h = try HistoryReader.read(path: file)
            let t = try best(1) { _ = try LinearizabilityChecker(model: KVModel(), options: CheckOptions(partitionByKey: false)).check(h) }
            print(String(format: "%.3f s", t))
        case "porcupine":
            try PorcupineBench.run(Array(args.dropFirst()))
        case "check-files":
            exit(PorcupineBench.checkFiles(Array(args.dropFirst())))
        case "versions":
            try VersionsBench.run(Array(args.dropFirst()))
        case "transactions":
            try TransactionsBench.run()
        case "transactions-one":
            guard let n = args.dropFirst().first.flatMap({ Int($0) }) else {
                print("usage: schism-bench transactions-one N")
                return
            }
            try TransactionsBench.one(n)
        case "runner":
            try await runner()
        case "adapter":
            try await AdapterBench.run()
        case "serve":
            try await ServeBench.run(Array(args.dropFirst()))
        case "memory":
            try memory()
        case "sequential-check":
            guard let n = args.dropFirst().first.flatMap({ Int($0) }) else {
                print("usage: schism-bench sequential-check N [MAX-MEMORY]")
                return
            }
            try sequentialCheck(n, maxMemory: args.dropFirst(2).first.flatMap(MachineMemory.parseBytes))
        case nil, "checker":
            try checker()
        default:
            print("usage: schism-bench [checker | porcupine [PEER-DIR] | check-files etcd|kv|kvnp FILE... | runner | adapter | serve [N] | versions [FILE...] | memory | transactions | big-check FILE | one-partition FILE | sequential-check N [MAX-MEMORY]]")
        }
    }

    static let shared: URL = {
        if let env = ProcessInfo.processInfo.environment["SCHISM_SHARED_HISTORIES"] { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).deletingLastPathComponent()
            .appendingPathComponent("shared/histories")
    }()

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Best of `runs` wall-clock times of `body`.
    static func best(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var out = Double.infinity
        for _ in 0..<runs {
            let t = ContinuousClock.now
            try body()
            out = min(out, seconds(ContinuousClock.now - t))
        }
        return out
    }

    static func files(_ folder: String) -> [String] {
        let dir = shared.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0).path }
    }

    static func checkFiles(_ paths: [String], model: any Model, options: CheckOptions) throws -> [Verdict: Int] {
        var counts: [Verdict: Int] = [:]
        for p in paths {
            let h = try HistoryReader.read(path: p)
            counts[try LinearizabilityChecker(model: model, options: options).check(h).verdict, default: 0] += 1
        }
        return counts
    }

    static func checker() throws {
        print("schism-bench checker (\(CheckOptions.coreCount) cores; best of 5 runs unless noted)")
        let etcd = files("porcupine/etcd")
        let kv = files("porcupine/kv")
        if etcd.isEmpty {
            print("  ../shared/histories not found: skipping the Porcupine files (set SCHISM_SHARED_HISTORIES)")
        } else {
            var counts: [Verdict: Int] = [:]
            let t = try best(5) { counts = try checkFiles(etcd, model: RegisterModel(allowsCAS: true), options: CheckOptions()) }
            print(String(format: "  porcupine etcd: %d files, parse+check %.3f s (%d valid, %d invalid)  [Porcupine: ~0.65 s for its 103 etcd files]", etcd.count, t, counts[.valid, default: 0], counts[.invalid, default: 0]))
            let tk = try best(5) { counts = try checkFiles(kv, model: KVModel(), options: CheckOptions()) }
            print(String(format: "  porcupine kv, per key: %d files, parse+check %.3f s (%d valid, %d invalid)", kv.count, tk, counts[.valid, default: 0], counts[.invalid, default: 0]))
            for name in ["c10-ok.txt", "c10-bad.txt"] {
                let h = try HistoryReader.read(path: shared.appendingPathComponent("porcupine/kv/\(name)").path)
                var verdict = Verdict.unknown
                let t1 = try best(3) {
                    verdict = try LinearizabilityChecker(model: KVModel(), options: CheckOptions(partitionByKey: false, timeoutSeconds: 120, partitionTimeoutSeconds: nil)).check(h).verdict
                }
                print(String(format: "  %@ as ONE partition: %.3f s, %@  [Porcupine: ~3 s for c10-ok]", name, t1, verdict.rawValue))
            }
        }
        try big(violation: false)
        try big(violation: true)
    }

    /// Generates the 1M-op history and checks it in a child process, for its own peak memory.
    static func big(violation: Bool) throws {
        let path = NSTemporaryDirectory() + "schism-bench-1m-\(violation ? "bad" : "ok").jsonl"
        let config = HistorySynthesizer.Config(model: "kv", operations: 1_000_000, keys: 1_000, processes: 30, crashes: 5, violation: violation, seed: 42)
        if !FileManager.default.fileExists(atPath: path) {
            let writer = try HistoryWriter(path: path)
            try HistorySynthesizer(config).generate { try writer.append($0) }
            try writer.close()
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("  generated kv history: 1,000,000 ops, 1,000 keys, 30 processes, 5 crashed writes, \(violation ? "one stale read" : "valid"), seed 42 (\(size / 1_000_000) MB)")
        fflush(nil)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["big-check", path]
        try child.run()
        child.waitUntilExit()
        print("    [Porcupine: 8.5 s parse + 3.6 s check, 1.2 GB; target: parse+check < 4 s, < 600 MB]")
    }

    static func bigCheck(_ file: String) throws {
        let t0 = ContinuousClock.now
        let history = try HistoryReader.read(path: file)
        let t1 = ContinuousClock.now
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let afterParse = usage.ru_maxrss / 1024
        let model = Models.infer(functions: history.operations.clientFunctions)
        let options = CheckOptions(nullReadsAreUnknown: CheckOptions.nullReadsAreUnknown(for: history.format))
        let result = try LinearizabilityChecker(model: model, options: options).check(history)
        let t2 = ContinuousClock.now
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "    %@: %d operations (%d MB held), parse %.3f s (peak %d MB) + check %.3f s = %.3f s, peak memory %d MB, %@ (%d keys not valid)",
                     model.name, history.operations.count, history.operations.heldBytes >> 20, seconds(t1 - t0), afterParse,
                     seconds(t2 - t1), seconds(t2 - t0), usage.ru_maxrss / 1024, result.verdict.rawValue, result.failures.count))
        let slowest = result.partitions.sorted { $0.elapsedSeconds > $1.elapsedSeconds }.prefix(3)
        print("    slowest keys: " + slowest.map { String(format: "%@ %.3f s (%d ops)", $0.key ?? "-", $0.elapsedSeconds, $0.searchedCount) }.joined(separator: ", "))
    }

    /// Peak memory of one register with long sequential histories (issue 9: it grew with the square
    /// of a key's length), each checked in a child process for its own peak.
    static func memory() throws {
        print("schism-bench memory: one register, N sequential write/read ops, checked in a child process  [before the window compaction: 50k 464 MB, 100k 1.7 GB]")
        for (n, limit) in [(50_000, nil), (100_000, nil), (100_000, "256MB")] as [(Int, String?)] {
            fflush(nil)
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["sequential-check", "\(n)"] + (limit.map { [$0] } ?? [])
            try child.run()
            child.waitUntilExit()
        }
    }

    /// Checks one register with `n` sequential operations (writes of distinct values, each read back).
    static func sequentialCheck(_ n: Int, maxMemory: Int?) throws {
        var ops: [Op] = []
        ops.reserveCapacity(2 * n)
        for i in 0..<n {
            let f = i % 2 == 0 ? "write" : "read"
            let v = JSONValue.int(Int64(i / 2))
            ops.append(Op(index: ops.count, time: 0, process: .client(0), type: .invoke, f: f, key: nil, value: f == "write" ? v : .null))
            ops.append(Op(index: ops.count, time: 0, process: .client(0), type: .ok, f: f, key: nil, value: v))
        }
        let t0 = ContinuousClock.now
        var options = CheckOptions(partitionTimeoutSeconds: nil)
        if let maxMemory { options.maxMemoryBytes = maxMemory }
        let result = try LinearizabilityChecker(model: RegisterModel(allowsCAS: false), options: options).check(operations: ops)
        let t = seconds(ContinuousClock.now - t0)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let limit = maxMemory.map { ", --max-memory \($0 >> 20) MB" } ?? ""
        print(String(format: "  %7d ops%@: check %.2f s, peak memory %d MB, %@%@", n, limit, t, usage.ru_maxrss / 1024,
                     result.verdict.rawValue, result.partitions.first?.note.map { " (\($0))" } ?? ""))
    }

    /// The runner's own ceiling: workers against an in-process register, recording to a file.
    static func runner() async throws {
        print("schism-bench runner (\(CheckOptions.coreCount) cores): no-op in-process client, history written to disk  [Jepsen's generator: ~20,000 ops/s; target >= 100,000]")
        for concurrency in [1, 10, 100] {
            let path = NSTemporaryDirectory() + "schism-bench-runner.jsonl"
            let recorder = try Recorder(path: path)
            let store = InMemoryRegisterStore()
            let clients = (0..<concurrency).map { _ in store.client() }
            let clock = SystemRunClock()
            let workers = Workers(seed: 1, workload: RegisterWorkload(), rate: 0, clock: clock)
            let t0 = ContinuousClock.now
            await workers.run(clients: clients, nodes: [], recorder: recorder, keys: KeyAllocator(opsPerKey: 200), untilNanoseconds: 3_000_000_000)
            let elapsed = seconds(ContinuousClock.now - t0)
            try recorder.finish()
            let completed = recorder.counts.filter { $0.key != .invoke }.reduce(0) { $0 + $1.value }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print(String(format: "  concurrency %3d: %.0f recorded ops/s (%d ops in %.2f s, %d MB of history)", concurrency, Double(completed) / elapsed, completed, elapsed, size / 1_000_000))
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
