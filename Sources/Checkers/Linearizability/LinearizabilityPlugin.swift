import Basics
import Histories

/// The linearizability checker as a plug-in: a model, per-key partitions, time budgets.
///
/// Options (all optional): `model` (a name from ``Models``; default: inferred from the
/// operations), `initial` (JSON), `timeoutSeconds`, `partitionTimeoutSeconds` (default 60),
/// `partitionByKey` (bool, default true), `nullReads` (`absent` or `unknown`; default by the
/// history's format), `stopEarly` (bool, default true: stop the other partitions once one is
/// invalid), `earlyStopGraceSeconds` (default 2), `maxMemoryBytes` (default half the machine's memory).
public struct LinearizabilityPlugin: CheckerPlugin {
    public init() {}

    public var name: String { "linearizability" }

    public var summary: String { "every operation takes effect at one instant between its call and return (models: \(Models.names.joined(separator: ", ")))" }

    /// The spec of a test run's check: `model`, and time budgets so that the analysis of a run
    /// always ends: 300 s for the whole history, 60 s per key (a key not decided in time is
    /// `unknown`, not a hang). A workload's own options, or `schism analyze --option`, override them.
    public static func runSpec(
        model: String?, timeoutSeconds: Double = 300, partitionTimeoutSeconds: Double = 60
    ) -> CheckerSpec {
        CheckerSpec("linearizability", options: [
            "model": model.map(JSONValue.string) ?? .null, "timeoutSeconds": .number(timeoutSeconds),
            "partitionTimeoutSeconds": .number(partitionTimeoutSeconds),
        ])
    }

    /// The option names this checker reads.
    public static let optionNames = [
        "model", "initial", "timeoutSeconds", "partitionTimeoutSeconds", "partitionByKey", "nullReads", "stopEarly",
        "earlyStopGraceSeconds", "maxMemoryBytes",
    ]

    public func make(_ options: [String: JSONValue]) throws(CheckerOptionError) -> any Checker {
        func bad(_ option: String, _ message: String) -> CheckerOptionError {
            CheckerOptionError(checker: name, option: option, message: message)
        }
        if let unknown = options.keys.sorted().first(where: { !Self.optionNames.contains($0) }) {
            throw bad(unknown, "unknown option; known: \(Self.optionNames.joined(separator: ", "))")
        }
        var model: (any Model)?
        if let m = options["model"], !m.isNull {
            guard let text = m.stringValue, let found = Models.named(text) else {
                throw bad("model", "\(m.jsonText) is not a model; choose one of \(Models.names.joined(separator: ", "))")
            }
            model = found
        }
        func seconds(_ key: String) throws(CheckerOptionError) -> Double? {
            guard let v = options[key], !v.isNull else { return nil }
            let d: Double?
            switch v {
            case .int(let i): d = Double(i)
            case .double(let x): d = x
            default: d = nil
            }
            guard let d, d > 0, d.isFinite else { throw bad(key, "expected a number of seconds above 0, got \(v.jsonText)") }
            return d
        }
        var nullReads: Bool?
        if let v = options["nullReads"], !v.isNull {
            guard let text = v.stringValue, ["absent", "unknown"].contains(text) else { throw bad("nullReads", "expected absent or unknown") }
            nullReads = text == "unknown"
        }
        func flag(_ key: String, default value: Bool) throws(CheckerOptionError) -> Bool {
            guard let v = options[key], !v.isNull else { return value }
            guard case .bool(let b) = v else { throw bad(key, "expected true or false") }
            return b
        }
        var maxMemory = CheckOptions.defaultMaxMemoryBytes
        if let v = options["maxMemoryBytes"], !v.isNull {
            guard case .int(let bytes) = v, bytes > 0 else { throw bad("maxMemoryBytes", "expected a number of bytes above 0, got \(v.jsonText)") }
            maxMemory = Int(bytes)
        }
        return LinearizabilityCheck(
            model: model,
            options: CheckOptions(
                initial: options["initial"], partitionByKey: try flag("partitionByKey", default: true),
                timeoutSeconds: try seconds("timeoutSeconds"),
                partitionTimeoutSeconds: try seconds("partitionTimeoutSeconds") ?? CheckOptions.defaultPartitionTimeoutSeconds,
                stopEarly: try flag("stopEarly", default: true),
                earlyStopGraceSeconds: try seconds("earlyStopGraceSeconds") ?? CheckOptions.defaultEarlyStopGraceSeconds,
                maxMemoryBytes: maxMemory),
            nullReads: nullReads)
    }
}

/// A linearizability check with its model and options, as a ``Checker``.
public struct LinearizabilityCheck: Checker {
    /// The model; nil: inferred from the history's functions.
    public var model: (any Model)?
    public var options: CheckOptions
    /// How to read `ok` reads of null; nil: as the history's format's own tools do.
    public var nullReads: Bool?

    public init(model: (any Model)?, options: CheckOptions, nullReads: Bool? = nil) {
        self.model = model
        self.options = options
        self.nullReads = nullReads
    }

    public var name: String { "linearizability" }

    /// The model asked for `history`: the one given, or the one its functions suggest (a register
    /// history with versions is then checked with `versioned-register`: ``RegisterVersions``).
    public func model(for history: History) -> any Model {
        model ?? Models.infer(functions: history.operations.clientFunctions)
    }

    public func check(_ history: History) -> CheckerOutcome {
        var opts = options
        opts.nullReadsAreUnknown = nullReads ?? CheckOptions.nullReadsAreUnknown(for: history.format)
        // A register history whose completions all carry versions is checked with the versioned model.
        let chosen = model(for: history)
        let choice = RegisterVersions.choose(chosen, for: history.operations, nullReadsAreUnknown: opts.nullReadsAreUnknown)
        var result: CheckResult
        do {
            result = try LinearizabilityChecker(model: choice.model, options: opts).check(operations: choice.operations)
        } catch {
            return .malformed(name, reason: error.description)
        }
        // Stale or out of order: judged with the plain model on the history as recorded.
        result.diagnoseSequentialConsistency(
            model: chosen, ops: history.operations, initial: opts.initial, nullReadsAreUnknown: opts.nullReadsAreUnknown)
        var outcome = Self.outcome(result)
        if let note = choice.note { outcome.summary += " (\(note))" }
        return outcome
    }

    /// The generic outcome of a linearizability result; the result itself is the payload.
    public static func outcome(_ result: CheckResult) -> CheckerOutcome {
        let failures = result.failures
        let invalid = failures.filter { $0.verdict == .invalid }
        let unknown = failures.filter { $0.verdict == .unknown }
        let findings = invalid.map { p in
            Finding(
                kind: "nonlinearizable", key: p.key,
                operations: (p.anomaly.map { a in a.prefix.map(\.op) + (a.blocking.map { [$0] } ?? []) }) ?? [],
                prose: p.anomaly?.prose ?? "no order of these operations explains their results")
        }
        var summary = "\(result.partitions.count) \(result.partitions.count == 1 ? "partition" : "keys"), "
            + "\(result.operationCount) operations, model \(result.model)"
        if !invalid.isEmpty { summary += ", \(invalid.count) not linearizable" }
        if !unknown.isEmpty { summary += ", \(unknown.count) undecided" }
        let reason = unknown.isEmpty ? nil
            : "\(unknown.count) of \(result.partitions.count) partitions undecided: " + (unknown.first?.note ?? "no reason given")
        return CheckerOutcome(
            checker: "linearizability", verdict: result.verdict, summary: summary, findings: findings,
            unknownReason: reason, elapsedSeconds: result.elapsedSeconds,
            details: .object([
                "model": .string(result.model), "partitions": .int(Int64(result.partitions.count)),
                "operations": .int(Int64(result.operationCount)),
            ]),
            payload: result)
    }
}
