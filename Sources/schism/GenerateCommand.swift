import Basics
import ArgumentParser
import SyntheticHistories
import Histories

/// `schism generate`: writes a reproducible synthetic history from a seed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a reproducible synthetic history (valid, or with one injected stale read).",
        discussion: """
            The history comes from a simulated linearizable store: every operation takes effect \
            when it completes. --violation makes one read return a value that was overwritten \
            before the read began, which no order can explain. The same seed gives the same file.
            """)

    @Option(help: "The workload: \(HistorySynthesizer.models.joined(separator: " or ")).")
    var model = "kv"

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

    func validate() throws {
        guard HistorySynthesizer.models.contains(model) else {
            throw ValidationError("unknown --model \(model); choose \(HistorySynthesizer.models.joined(separator: " or "))")
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
            try HistorySynthesizer(config).generate { try writer.append($0) }
            try writer.close()
            print("wrote \(writer.count) lines (\(ops) operations, \(keys) keys, \(processes) processes, seed \(seed)\(violation ? ", one stale read" : "")) to \(output)")
        } catch let e as HistoryError {
            throw exitWith(UserFacingError(message: "cannot write \(output): \(e.message)", code: ExitStatus.cannotCreate))
        }
    }
}
