import Basics
import Checkers
import Control
import Foundation
import Results

/// The end of `schism test`: the run folder analysed through ``RunAnalysis``, as `schism analyze` would.
struct Analysis {
    /// The checkers a run can name. The lead replaces this with `BuiltIn.registry.checkers`.
    static let registry = CheckerRegistry([LinearizabilityPlugin()])

    let folder: RunFolder
    let log: RunLog
    /// Sentences to read before the numbers, from this run.
    let notes: [String]

    /// Reads `test.json` and the history back from disk, checks them and writes the reports; returns the verdict.
    func run() -> Verdict? {
        do {
            var stored = try StoredRun(path: folder.path)
            stored.notes = notes
            log.info("checking the history with \(stored.record.checkers.map(\.name).joined(separator: ", "))")
            let outcome = try RunAnalysis.analyze(stored, registry: Self.registry, write: true)
            for line in outcome.summaryLines { log.info(line) }
            for finding in outcome.outcomes.flatMap(\.findings).prefix(3) { log.info(finding.prose) }
            log.info("verdict: \(outcome.verdict.rawValue.uppercased())")
            return outcome.verdict
        } catch {
            log.info("cannot analyse the run: \(error)")
            return nil
        }
    }
}

/// The `test.json` record of a run: the configuration, seed, nodes, versions and checkers.
enum TestRecord {
    static func json(workload w: Workload, seed: UInt64, nodes: [NodeConfig], database: String, version: String) -> JSONValue {
        RunRecord(
            workload: w.name, seed: seed, system: database, systemVersion: version,
            nodes: nodes.map {
                RunRecord.Node(name: $0.name, fields: ["host": .string($0.host), "clock": .string($0.clock.rawValue), "dataDir": .string($0.dataDir)])
            },
            checkers: [LinearizabilityPlugin.runSpec(model: w.model)], timeLimitSeconds: w.timeLimitSeconds,
            faults: w.nemeses, startDate: ISO8601DateFormatter().string(from: Date()),
            settings: [
                "system": .string(w.system), "binary": w.binary.map { .string($0) } ?? .null, "reads": .string(w.reads),
                "requestTimeoutSeconds": .double(w.requestTimeoutSeconds), "model": .string(w.model),
                "opsPerKey": .int(Int64(w.opsPerKey)), "values": .int(Int64(w.values)),
                "mix": .object(w.mix.mapValues { .double($0) }), "concurrency": .int(Int64(w.concurrency)),
                "rate": .double(w.rate), "nemesisIntervalSeconds": .double(w.nemesisIntervalSeconds),
                "recoverySeconds": .double(w.recoverySeconds), "finalReads": .bool(w.finalReads),
            ],
            command: CommandLine.arguments
        ).json
    }
}
