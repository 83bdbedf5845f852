import Basics
import Checkers
import Control
import Systems
import Foundation
import Histories
import Report

/// Checks a run's history and writes `results.json`, `report.txt` and `report.html`.
struct Analysis {
    let workload: Workload
    let seed: UInt64
    let folder: RunFolder
    let log: RunLog
    let cluster: TestCluster
    let database: String
    let version: String
    let notes: [String]
    let started: Date

    /// Reads the history back from disk, checks it and writes the reports; returns the verdict.
    func run() -> Verdict? {
        let history: History
        do { history = try HistoryReader.read(path: folder.history) } catch {
            log.info("cannot read the history back: \(error)")
            return nil
        }
        log.info("checking \(history.operations.count) history lines with the \(workload.model) model")
        let result: CheckResult?
        do {
            let model = Models.named(workload.model) ?? RegisterModel(allowsCAS: true)
            result = try LinearizabilityChecker(model: model, options: CheckOptions(timeoutSeconds: 300, partitionTimeoutSeconds: 60)).check(history)
        } catch {
            log.info("the history cannot be checked: \(error)")
            result = nil
        }
        let metadata = RunMetadata(
            workload: workload.name, seed: seed, nodes: cluster.nodes.map(\.name), database: database,
            databaseVersion: version, startDate: ISO8601DateFormatter().string(from: started),
            timeLimitSeconds: workload.timeLimitSeconds, nemeses: workload.faultKinds,
            resultsPath: folder.path, notes: notes, faultColours: Workload.faultRegistry.colours)
        write(history: history, result: result, metadata: metadata)
        if let result {
            log.info("verdict: \(result.verdict.rawValue.uppercased()) (\(result.partitions.count) keys, \(result.failures.count) not valid, checked in \(String(format: "%.2f", result.elapsedSeconds)) s)")
            for p in result.failures.prefix(3) {
                if let prose = p.anomaly?.prose { log.info(prose) }
            }
        }
        return result?.verdict
    }

    private func write(history: History, result: CheckResult?, metadata: RunMetadata) {
        var json: [String: JSONValue] = [
            "workload": .string(workload.name), "seed": .int(Int64(bitPattern: seed)),
            "verdict": result.map { .string($0.verdict.rawValue) } ?? .null,
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
    static func json(workload w: Workload, seed: UInt64, nodes: [NodeConfig], database: String, version: String) -> JSONValue {
        let nodeValues: [JSONValue] = nodes.map {
            .object(["name": .string($0.name), "host": .string($0.host), "clock": .string($0.clock.rawValue), "dataDir": .string($0.dataDir)])
        }
        return .object([
            "schism": .string(SchismVersion.current),
            "workload": .object([
                "name": .string(w.name), "system": .string(w.system), "binary": w.binary.map { .string($0) } ?? .null,
                "reads": .string(w.reads), "requestTimeoutSeconds": .double(w.requestTimeoutSeconds),
                "model": .string(w.model), "opsPerKey": .int(Int64(w.opsPerKey)), "values": .int(Int64(w.values)),
                "mix": .object(w.mix.mapValues { .double($0) }), "concurrency": .int(Int64(w.concurrency)),
                "rate": .double(w.rate), "timeLimitSeconds": .double(w.timeLimitSeconds),
                "nemeses": .array(w.nemeses.map { .string($0) }), "nemesisIntervalSeconds": .double(w.nemesisIntervalSeconds),
                "recoverySeconds": .double(w.recoverySeconds), "finalReads": .bool(w.finalReads),
            ]),
            "seed": .string(String(seed)),
            "nodes": .array(nodeValues),
            "database": .object(["name": .string(database), "version": .string(version)]),
            "started": .string(ISO8601DateFormatter().string(from: Date())),
            "command": .array(CommandLine.arguments.map { .string($0) }),
        ])
    }
}

/// Schism's version, written into every run's `test.json`.
public enum SchismVersion {
    public static let current = "0.1.0"
}
