import Basics
import Checkers
import Histories

/// One thing the fuzzer exercises: a history reader, format detection, a round trip, or the checker.
///
/// Every target takes arbitrary bytes and must return normally: a thrown `HistoryError` or
/// `CheckError` is a correct answer to bad input, while a crash, a hang or unbounded memory is
/// a bug. A target that checks a property (the round trip) reports a violation with
/// `FuzzFailure.trap`, so the fuzzer saves the input like any other crash.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// The Schism JSON Lines reader.
    case jsonl
    /// The Jepsen / Knossos EDN reader.
    case edn
    /// The Jepsen console-log reader (Porcupine's etcd data).
    case porcupineLog = "porcupine-log"
    /// The Porcupine kv reader (one EDN map per line).
    case porcupineKV = "porcupine-kv"
    /// Format detection followed by the detected reader.
    case detect
    /// JSON Lines read, written back with `Op.jsonLine`, and read again: both readings must be equal.
    case roundtrip
    /// A small JSON Lines history checked with every model, with and without partitioning by key.
    case checker
    /// A tiny well-formed history built from the bytes, checked by the search and by brute force.
    case differential

    /// The most operations the checker target reads; more and the input is skipped.
    static let checkerOperationLimit = 40

    /// The checker's time limit per check, in seconds (the search then answers `unknown`).
    static let checkerTimeoutSeconds = 0.25

    /// Runs the target on `bytes`; returns normally unless it finds a bug.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .jsonl: read(bytes, .jsonl)
        case .edn: read(bytes, .edn)
        case .porcupineLog: read(bytes, .porcupineLog)
        case .porcupineKV: read(bytes, .porcupineKV)
        case .detect:
            _ = HistoryReader.detectFormat(bytes: bytes)
            read(bytes, nil)
        case .roundtrip: roundtrip(bytes)
        case .checker: check(bytes)
        case .differential: Differential.run(bytes)
        }
    }

    /// Reads the whole history; an error is a correct outcome.
    private func read(_ bytes: [UInt8], _ format: HistoryFormat?) {
        guard let history = try? HistoryReader.read(bytes: bytes, source: "fuzz", format: format) else { return }
        // Touch what the callers use, so that a malformed operation is noticed here.
        for op in history.operations { _ = op.jsonLine }
        _ = history.keys
    }

    /// Checks that what the JSON Lines reader accepts is written back as text that reads back equal.
    private func roundtrip(_ bytes: [UInt8]) {
        guard let first = try? HistoryReader.read(bytes: bytes, source: "fuzz", format: .jsonl) else { return }
        let text = first.operations.map { $0.jsonLine + "\n" }.joined()
        let second: History
        do {
            second = try HistoryReader.read(text: text, source: "rewritten", format: .jsonl)
        } catch {
            FuzzFailure.trap("the written history does not read back: \(error)\n\(text)")
        }
        guard second.operations == first.operations else {
            let count = min(first.operations.count, second.operations.count)
            let at = (0..<count).first { first.operations[$0] != second.operations[$0] } ?? count
            FuzzFailure.trap("the written history reads back different at operation \(at)\n\(text)")
        }
    }

    /// Reads at most `checkerOperationLimit` operations and checks them with every model.
    private func check(_ bytes: [UInt8]) {
        struct TooLong: Error {}
        var ops = OpLog()
        do {
            try HistoryReader.forEach(bytes: bytes, source: "fuzz", format: .jsonl) { op in
                guard ops.count < FuzzTarget.checkerOperationLimit else { throw TooLong() }
                ops.append(op)
            }
        } catch {
            return
        }
        // Vary the options with the input, deterministically, so that each path gets inputs.
        let salt = bytes.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF }
        for (n, model) in Models.all.enumerated() {
            let partitionByKey = (salt >> n) & 1 == 0
            let nullReadsAreUnknown = (salt >> (n + 6)) & 1 == 1
            let options = CheckOptions(
                partitionByKey: partitionByKey, timeoutSeconds: FuzzTarget.checkerTimeoutSeconds, parallelism: 1,
                nullReadsAreUnknown: nullReadsAreUnknown)
            guard var result = try? LinearizabilityChecker(model: model, options: options).check(operations: ops) else { continue }
            result.diagnoseSequentialConsistency(model: model, ops: ops, initial: nil, nullReadsAreUnknown: nullReadsAreUnknown)
            for partition in result.partitions {
                _ = partition.anomaly?.prose
                for call in partition.calls where call.invoke >= ops.count || (call.completion ?? 0) >= ops.count {
                    FuzzFailure.trap("model \(model.name): a call refers to operation \(call.invoke) of \(ops.count)")
                }
            }
        }
    }
}

/// Reports a property the fuzzer found violated, as a crash the fuzzer and the replay both notice.
enum FuzzFailure {
    /// Prints `message` to standard error and stops the process with a trap.
    static func trap(_ message: String) -> Never {
        FileOutput.standardError("fuzz: property violated: \(message)\n")
        fatalError("fuzz: property violated")
    }
}
