import Basics
import Checkers
import Control
import Systems
import Foundation
import Histories
import Report

/// Checks a run's history with the workload's checkers and writes `results.json`, `report.txt` and `report.html`.
struct Analysis {
    let plan: TestPlan
    let seed: UInt64
    let folder: RunFolder
    let log: RunLog
    let cluster: TestCluster
    let version: String
    let notes: [String]
    let started: Date
    let checkers: CheckerRegistry

    /// Reads the history back from disk, checks it and writes the reports; returns the verdict.
    func run() -> Verdict? {
        let history: History
        do { history = try HistoryReader.read(path: folder.history) } catch {
            log.info("cannot read the history back: \(error)")
            return nil
        }
        var outcomes: [CheckerOutcome] = []
        for spec in plan.workload.checkers {
            log.info("checking \(history.operations.count) history lines with \(spec.name) \(spec.options.isEmpty ? "" : JSONValue.object(spec.options).jsonText)")
            do {
                outcomes.append(try checkers.make(spec).check(history))
            } catch {
                outcomes.append(.unknown(spec.name, reason: error.description))
            }
        }
        let result = outcomes.lazy.compactMap { $0.payload as? CheckResult }.first
        let metadata = RunMetadata(
            workload: plan.name, seed: seed, nodes: cluster.nodes.map(\.name), database: plan.systemName,
            databaseVersion: version, startDate: ISO8601DateFormatter().string(from: started),
            timeLimitSeconds: plan.timeLimitSeconds, nemeses: plan.faultKinds.map(\.rawValue),
            resultsPath: folder.path, notes: notes)
        let verdict = outcomes.verdict
        write(history: history, verdict: verdict, outcomes: outcomes, result: result, metadata: metadata)
        for o in outcomes {
            log.info("\(o.checker): \(o.verdict.rawValue.uppercased()) (\(o.summary); \(String(format: "%.2f", o.elapsedSeconds)) s)")
            for f in o.findings.prefix(3) { log.info(f.prose) }
            if let why = o.unknownReason { log.info("\(o.checker): \(why)") }
        }
        log.info("verdict: \(verdict.rawValue.uppercased())")
        return verdict
    }

    private func write(history: History, verdict: Verdict, outcomes: [CheckerOutcome], result: CheckResult?, metadata: RunMetadata) {
        var json: [String: JSONValue] = [
            "workload": .string(plan.name), "seed": .int(Int64(bitPattern: seed)),
            "verdict": .string(verdict.rawValue), "checkers": .array(outcomes.map(\.json)),
            "notes": .array(notes.map { .string($0) }),
        ]
        if let result { json["check"] = JSONReport.value(result: result, history: history, file: folder.history) }
        do {
            try folder.write(JSONValue.object(json).jsonText + "\n", to: folder.resultsJSON)
            try folder.write(try RunReport.renderText(history: history, result: result, metadata: metadata), to: folder.reportText)
            try folder.write(try RunReport.renderHTML(history: history, result: result, metadata: metadata), to: folder.reportHTML)
        } catch {
            log.info("cannot write the reports: \(error)")
        }
    }
}

/// The `test.json` record of a run: the configuration, seed, nodes and versions.
enum TestRecord {
    static func json(plan: TestPlan, seed: UInt64, nodes: [NodeConfig], version: String) -> JSONValue {
        let nodeValues: [JSONValue] = nodes.map {
            .object(["name": .string($0.name), "host": .string($0.host), "clock": .string($0.clock.rawValue), "dataDir": .string($0.dataDir)])
        }
        return .object([
            "schism": .string(SchismVersion.current),
            "workload": plan.json,
            "checkers": .array(plan.workload.checkers.map(\.json)),
            "seed": .string(String(seed)),
            "nodes": .array(nodeValues),
            "database": .object(["name": .string(plan.systemName), "version": .string(version)]),
            "started": .string(ISO8601DateFormatter().string(from: Date())),
            "command": .array(CommandLine.arguments.map { .string($0) }),
        ])
    }
}

/// Schism's version, written into every run's `test.json`.
public enum SchismVersion {
    public static let current = "0.1.0"
}
