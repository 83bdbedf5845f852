import Basics
import Foundation
import Histories

/// What the index of runs shows of one run, as `summary.json` holds it: a few hundred bytes, so that
/// `schism serve` lists 10,000 runs without reading a single history.
///
/// Written with the results (``RunAnalysis`` with `write`); a run without one is shown from its
/// `test.json` (and `results.json` when the analysis ran), or as `crashed` when it has no results.
public struct RunSummary: Sendable, Equatable {
    /// The workload's name.
    public var workload: String
    /// The system under test.
    public var system: String
    /// When the run started (ISO 8601, UTC), when known.
    public var started: String?
    /// Seconds from the history's first to its last operation, when known.
    public var durationSeconds: Double?
    /// The kinds of faults asked for.
    public var faults: [String]
    /// `valid`, `invalid`, `unknown`, `failed` (the run could not start: a node unreachable, the
    /// system's setup failed) or `crashed` (no analysis was written).
    public var verdict: String
    /// The exit status the verdict means (``ExitStatus``), when analysed.
    public var exitCode: Int32?
    /// Client operations completed (ok, fail or info), when known.
    public var operations: Int?
    /// Client operations that completed ok, when known.
    public var ok: Int?

    /// The verdict of a run that left no analysis.
    public static let crashed = "crashed"
    /// The verdict of a run that could not start (its exit status says why: 69, 73, ...).
    public static let failed = "failed"
    /// The verdict shown for a run analysed before `summary.json` existed whose `results.json` is
    /// too large to read for the index (`schism analyze RUN` writes the summary).
    public static let notSummarised = "not summarised"

    /// A summary from its parts.
    public init(
        workload: String, system: String, started: String? = nil, durationSeconds: Double? = nil, faults: [String] = [],
        verdict: String, exitCode: Int32? = nil, operations: Int? = nil, ok: Int? = nil
    ) {
        self.workload = workload
        self.system = system
        self.started = started
        self.durationSeconds = durationSeconds
        self.faults = faults
        self.verdict = verdict
        self.exitCode = exitCode
        self.operations = operations
        self.ok = ok
    }

    /// The summary of an analysed run: its record, the verdict, and counts from its history.
    public init(record: RunRecord, verdict: Verdict, exitCode: Int32, history: History) {
        var first: Int64?, last: Int64?
        var operations = 0, ok = 0
        for op in history.operations {
            if let t = op.time {
                first = min(first ?? t, t)
                last = max(last ?? t, t)
            }
            guard case .client = op.process, op.type != .invoke else { continue }
            operations += 1
            if op.type == .ok { ok += 1 }
        }
        let duration = first.flatMap { f in last.map { Double($0 - f) / 1e9 } }
        self.init(
            workload: record.workload, system: record.system, started: record.startDate, durationSeconds: duration,
            faults: record.faults, verdict: verdict.rawValue, exitCode: exitCode, operations: operations, ok: ok)
    }

    /// Operations that completed ok per second of the run, when both are known.
    public var okPerSecond: Double? {
        guard let ok, let d = durationSeconds, d > 0 else { return nil }
        return Double(ok) / d
    }

    /// The summary as `summary.json` holds it.
    public var json: JSONValue {
        .object([
            "format": "schism-summary", "version": 1,
            "workload": .string(workload), "system": .string(system),
            "started": started.map(JSONValue.string) ?? .null,
            "durationSeconds": durationSeconds.map(JSONValue.double) ?? .null,
            "faults": .array(faults.map(JSONValue.string)),
            "verdict": .string(verdict),
            "exitCode": exitCode.map { .int(Int64($0)) } ?? .null,
            "operations": operations.map { .int(Int64($0)) } ?? .null,
            "ok": ok.map { .int(Int64($0)) } ?? .null,
        ])
    }

    /// Reads ``json``; nil when it is not a summary.
    public init?(json: JSONValue) {
        guard case .object(let o) = json, o["format"]?.stringValue == "schism-summary",
            let workload = o["workload"]?.stringValue, let verdict = o["verdict"]?.stringValue
        else { return nil }
        func number(_ v: JSONValue?) -> Double? {
            switch v {
            case .double(let d)?: return d
            case .int(let i)?: return Double(i)
            default: return nil
            }
        }
        self.init(
            workload: workload, system: o["system"]?.stringValue ?? "?", started: o["started"]?.stringValue,
            durationSeconds: number(o["durationSeconds"]), faults: (o["faults"]?.arrayValue ?? []).compactMap(\.stringValue),
            verdict: verdict, exitCode: o["exitCode"]?.intValue.map { Int32(clamping: $0) },
            operations: o["operations"]?.intValue.map { Int(clamping: $0) }, ok: o["ok"]?.intValue.map { Int(clamping: $0) })
    }

    /// Largest `summary.json`, `test.json` or `results.json` read for a summary: a bigger file is
    /// not read (its run is shown from what else there is), so that one odd folder cannot slow the index.
    public static let maxFileBytes = 1 << 20

    /// The summary of the run folder at `path`, from `summary.json`, else `test.json` and
    /// `results.json`'s verdict; nil when the folder is not a run. Reads no history.
    public static func read(folder path: String) -> RunSummary? {
        let folder = RunFolder(path: path)
        if let json = smallJSON(folder.summaryJSON), let s = RunSummary(json: json) { return s }
        guard let test = smallJSON(folder.testJSON), let record = try? RunRecord(json: test) else { return nil }
        var summary = RunSummary(
            workload: record.workload, system: record.system, started: record.startDate, faults: record.faults, verdict: crashed)
        if case .object(let results)? = smallJSON(folder.resultsJSON), let verdict = results["verdict"]?.stringValue {
            summary.verdict = verdict
            summary.exitCode = results["exitCode"]?.intValue.map { Int32(clamping: $0) }
        } else if FileManager.default.fileExists(atPath: folder.resultsJSON) {
            summary.verdict = notSummarised
        }
        return summary
    }

    /// A JSON file of at most ``maxFileBytes``, parsed; nil when missing, larger or malformed.
    static func smallJSON(_ path: String) -> JSONValue? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxFileBytes + 1), data.count <= maxFileBytes,
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        return try? JSONValue.parse(text)
    }
}
