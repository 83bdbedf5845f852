import Basics
import Checkers
import Foundation
import Histories
import SyntheticHistories

/// `schism-bench transactions`: the list-append checker on generated histories of 100,000 and
/// 1,000,000 transactions (4 micro-operations, 1,000 keys at a time, 10 processes), each in a
/// child process for its own peak memory. The generator's operations stream into the checker's
/// flat form (``TxnHistory/Builder``), as reading a file does, so no history of `Op`s is held.
enum TransactionsBench {
    static func run() throws {
        print("schism-bench transactions: list-append, 4 micro-ops per transaction, 1,000 keys (32 appends each, then a fresh key), 10 processes  [Elle: ~22M txns in ~2 min with a 60 GB heap; target: 1M in < 10 s, < 2 GB]")
        for n in [100_000, 1_000_000] {
            fflush(nil)
            let child = Process()
            child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            child.arguments = ["transactions-one", "\(n)"]
            try child.run()
            child.waitUntilExit()
        }
    }

    /// Generates and checks `n` transactions; prints the times, the peak memory and the verdict.
    static func one(_ n: Int) throws {
        let t0 = ContinuousClock.now
        var builder = TxnHistory.Builder(listAppend: true)
        var failure: TxnHistoryError?
        TransactionSynthesizer(.init(listAppend: true, transactions: n, keys: 1_000, maxWritesPerKey: 32, mopsPerTransaction: 4,
                                     processes: 10, seed: 42)).generate { op in
            guard failure == nil else { return }
            do throws(TxnHistoryError) { try builder.add(op) } catch { failure = error }
        }
        if let failure { throw failure }
        let txns = builder.finish()
        let t1 = ContinuousClock.now
        let cpu1 = cpuSeconds()
        let result = try TransactionCheck(listAppend: true).analyze(txns)
        let t2 = ContinuousClock.now
        let cpu2 = cpuSeconds()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // CPU time as well as wall time: on a shared machine the wall time also counts waiting.
        print(String(format: "  %9d txns: generate+read %.2f s, check %.2f s (CPU %.2f s), peak memory %d MB, %d edges, %@%@",
                     n, Bench.seconds(t1 - t0), Bench.seconds(t2 - t1), cpu2 - cpu1, usage.ru_maxrss / 1024, result.edgeCount, result.verdict.rawValue,
                     result.anomalyTypes.isEmpty ? "" : " (" + result.anomalyTypes.joined(separator: ", ") + ")"))
    }

    /// User and system CPU time of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
