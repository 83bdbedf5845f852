import Basics
import ArgumentParser
import SyntheticHistories
import Histories

/// `schism generate`: writes a reproducible synthetic history from a seed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a reproducible synthetic history (valid, or with one injected stale read or transactional anomaly).",
        discussion: """
            The history comes from a simulated linearizable store: every operation takes effect \
            when it completes. --violation makes one read return a value that was overwritten \
            before the read began, which no order can explain. With --model list-append or \
            rw-register, --ops transactions are written instead (4 micro-operations each; keys rotate \
            after 32 writes), and --anomaly adds one anomaly of that kind on fresh keys. The same \
            seed gives the same file.
            """)

    @Option(help: "The workload: \((HistorySynthesizer.models + ["list-append", "rw-register"]).joined(separator: ", ")).")
    var model = "kv"

    @Option(help: "With --model list-append or rw-register: an anomaly to inject (G2-item, G1a, lost-update, ...).")
    var anomaly: String?

    @Option(help: "Client operations to complete.")
    var ops = 10_000

    @Option(help: "Independent keys.")
    var keys = 10

    @Option(help: "Concurrent client processes.")
    var processes = 5

    @Option(help: "Writes that crash (complete as info, taking effect or not).")
    var crashes = 3

    @Flag(help: "Inject one stale read, making the history invalid.")
    var violation = false

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: [.short, .long], help: "Output file (JSON Lines).")
    var output: String

    /// Whether --model names a transactional workload.
    private var transactional: Bool { ["list-append", "rw-register"].contains(model) }

    func validate() throws {
        if let anomaly {
            guard transactional else { throw ValidationError("--anomaly applies to --model list-append or rw-register") }
            let known = TransactionSynthesizer.anomalies(listAppend: model == "list-append").keys.sorted()
            guard known.contains(anomaly) else {
                throw ValidationError("unknown --anomaly \(anomaly) for \(model); choose one of \(known.joined(separator: ", "))")
            }
        }
        guard HistorySynthesizer.models.contains(model) || transactional else {
            throw ValidationError("unknown --model \(model); choose \((HistorySynthesizer.models + ["list-append", "rw-register"]).joined(separator: ", "))")
        }
        guard ops > 0, keys > 0, processes > 0, crashes >= 0 else {
            throw ValidationError("--ops, --keys and --processes must be positive and --crashes not negative")
        }
    }

    func run() throws {
        let config = HistorySynthesizer.Config(
            model: model, operations: ops, keys: keys, processes: processes, crashes: crashes,
            violation: violation, seed: seed)
        do {
            let writer = try HistoryWriter(path: output)
            if transactional {
                let txns = TransactionSynthesizer.Config(
                    listAppend: model == "list-append", transactions: ops, keys: keys, processes: processes, anomaly: anomaly, seed: seed)
                try TransactionSynthesizer(txns).generate { try writer.append($0) }
                try writer.close()
                print("wrote \(writer.count) lines (\(ops) \(model) transactions, \(keys) keys, \(processes) processes, seed \(seed)\(anomaly.map { ", one \($0)" } ?? "")) to \(output)")
                return
            }
            try HistorySynthesizer(config).generate { try writer.append($0) }
            try writer.close()
            print("wrote \(writer.count) lines (\(ops) operations, \(keys) keys, \(processes) processes, seed \(seed)\(violation ? ", one stale read" : "")) to \(output)")
        } catch let e as HistoryError {
            throw exitWith(UserFacingError(message: "cannot write \(output): \(e.message)", code: ExitStatus.cannotCreate))
        }
    }
}
