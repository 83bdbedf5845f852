import Basics
import Checkers
import Control
import Foundation
import Results

/// The end of `schism test`: the run folder analysed through ``RunAnalysis``, as `schism analyze` would.
struct Analysis {
    let folder: RunFolder
    let log: RunLog
    /// Sentences to read before the numbers, from this run.
    let notes: [String]
    /// The checkers the run's `test.json` may name.
    let checkers: CheckerRegistry
    /// Colours of the fault families, for the reports.
    let faultColours: [String: String]

    /// Reads `test.json` and the history back from disk, checks them and writes the reports; returns the verdict.
    func run() -> Verdict? {
        do {
            var stored = try StoredRun(path: folder.path)
            stored.notes = notes
            stored.faultColours = faultColours
            log.info("checking the history with \(stored.record.checkers.map(\.name).joined(separator: ", "))")
            let outcome = try RunAnalysis.analyze(stored, registry: checkers, write: true)
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

extension TestPlan {
    /// The run's `test.json` record: the plan, seed, nodes, system version and checkers.
    func record(seed: UInt64, nodes: [NodeConfig], version: String) -> RunRecord {
        var settings: [String: JSONValue] = [:]
        if case .object(let o) = json { settings = o }
        return RunRecord(
            workload: name, seed: seed, system: systemName, systemVersion: version,
            nodes: nodes.map {
                RunRecord.Node(name: $0.name, fields: ["host": .string($0.host), "clock": .string($0.clock.rawValue), "dataDir": .string($0.dataDir)])
            },
            checkers: workload.checkers, timeLimitSeconds: timeLimitSeconds,
            faults: faultKinds, startDate: ISO8601DateFormatter().string(from: Date()),
            settings: settings, command: CommandLine.arguments)
    }
}
