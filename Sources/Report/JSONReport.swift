import Basics
import Checkers
import Histories

/// The machine-readable result of a check: verdict, per-partition verdicts, anomalies and timings.
///
/// Field names are stable (format `schism-check`, version 1) and documented in `docs/reports.md`.
/// Every field is always present; absent values are `null`. Object keys are written sorted.
public enum JSONReport {
    /// The value of the top-level `format` field.
    public static let format = "schism-check"
    /// The value of the top-level `version` field; bumped only when a field changes meaning or goes.
    public static let version = 1

    /// The report as compact JSON text with a trailing newline.
    public static func render(result: CheckResult, history: History, file: String? = nil) -> String {
        value(result: result, history: history, file: file).jsonText + "\n"
    }

    /// The report as a JSON value, for callers that embed it in a larger document.
    public static func value(result: CheckResult, history: History, file: String? = nil) -> JSONValue {
        var counts: [String: JSONValue] = ["valid": .int(0), "invalid": .int(0), "unknown": .int(0)]
        for p in result.partitions {
            counts[p.verdict.rawValue] = .int((counts[p.verdict.rawValue]?.intValue ?? 0) + 1)
        }
        let name = file ?? history.source
        return .object([
            "format": .string(format),
            "version": .int(Int64(version)),
            "file": name.map(JSONValue.string) ?? .null,
            "model": .string(result.model),
            "verdict": .string(result.verdict.rawValue),
            "exitCode": .int(Int64(result.verdict.exitCode)),
            "operationCount": .int(Int64(result.operationCount)),
            "historyLength": .int(Int64(history.operations.count)),
            "elapsedSeconds": seconds(result.elapsedSeconds),
            "partitionCounts": .object(counts),
            "partitions": .array(result.partitions.map { partition($0, history.operations) }),
        ])
    }

    /// One partition's verdict, counts, timing and anomaly.
    static func partition(_ p: PartitionResult, _ ops: OpLog) -> JSONValue {
        var times: (first: Int64?, last: Int64?) = (nil, nil)
        if let f = p.calls.first { times.first = ops[f.invoke].time }
        if let l = p.calls.last { times.last = ops[l.completion ?? l.invoke].time }
        var outcomes: [String: JSONValue] = ["ok": .int(0), "fail": .int(0), "info": .int(0)]
        for c in p.calls { outcomes[c.outcome.rawValue] = .int((outcomes[c.outcome.rawValue]?.intValue ?? 0) + 1) }
        // Optional fields first, as separate statements: one dictionary literal with all of them
        // is more than the type checker will solve in reasonable time.
        let firstOp: JSONValue = p.calls.first.map { .int(Int64($0.invoke)) } ?? .null
        let firstTime: JSONValue = times.first.map(JSONValue.int) ?? .null
        let lastTime: JSONValue = times.last.map(JSONValue.int) ?? .null
        let found: JSONValue = p.anomaly.map { anomaly($0, p.calls) } ?? .null
        let sequential: JSONValue = p.sequentiallyConsistent.map(JSONValue.bool) ?? .null
        return .object([
            "key": p.key.map(JSONValue.string) ?? .null,
            "verdict": .string(p.verdict.rawValue),
            "operationCount": .int(Int64(p.calls.count)),
            "outcomeCounts": .object(outcomes),
            "searchedCount": .int(Int64(p.searchedCount)),
            "elapsedSeconds": seconds(p.elapsedSeconds),
            "firstOp": firstOp,
            "firstTimeNanos": firstTime,
            "lastTimeNanos": lastTime,
            "note": p.note.map(JSONValue.string) ?? .null,
            "anomaly": found,
            "sequentiallyConsistent": sequential,
        ])
    }

    /// The anomaly: the prefix as operation indices, the blocking operation, every attempt.
    static func anomaly(_ a: Explanation, _ calls: [CallRecord]) -> JSONValue {
        let byInvoke = Format.callsByInvoke(calls)
        let blockingCompletion = a.blocking.flatMap { byInvoke[$0]?.completion }
        return .object([
            "prefix": .array(a.prefix.map { .int(Int64($0.op)) }),
            "prefixLength": .int(Int64(a.prefix.count)),
            "lastSteps": .array(a.prefix.suffix(10).map { s in
                .object(["op": .int(Int64(s.op)), "call": .string(s.call), "stateAfter": .string(s.stateAfter)])
            }),
            "stateAfterPrefix": .string(a.stateAfterPrefix),
            "blocking": a.blocking.map { .int(Int64($0)) } ?? .null,
            "blockingCompletion": blockingCompletion.map { .int(Int64($0)) } ?? .null,
            "attempts": .array(a.attempts.map { t in
                .object([
                    "op": .int(Int64(t.op)), "call": .string(t.call), "allowed": .bool(t.allowed),
                    "reason": .string(t.reason),
                ])
            }),
            "prose": .string(a.prose),
        ])
    }

    /// Seconds rounded to the microsecond, so that the text stays short.
    private static func seconds(_ s: Double) -> JSONValue {
        guard s.isFinite else { return .null }
        return .double((s * 1e6).rounded() / 1e6)
    }
}
