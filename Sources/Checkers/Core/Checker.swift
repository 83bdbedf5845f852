import Basics
import Histories

/// Judges a history: a verdict (valid, invalid, unknown) and the anomalies that decide it.
///
/// Checkers are pure: no I/O beyond the history they are given. A checker that cannot finish
/// (a time-out, a history it cannot read) answers `unknown` and says why; it never throws, so
/// that one checker's trouble never hides another's findings (Jepsen's check-safe).
public protocol Checker: Sendable {
    /// The checker's name, e.g. `linearizability`.
    var name: String { get }

    /// Checks `history`.
    func check(_ history: History) -> CheckerOutcome
}

/// What one checker concluded.
public struct CheckerOutcome: Sendable {
    /// The checker's name.
    public var checker: String
    public var verdict: Verdict
    /// One line for logs and summaries, e.g. `59 keys, 11,832 operations, 2 keys not linearizable`.
    public var summary: String
    /// The anomalies found, of kinds the checker names (empty when valid).
    public var findings: [Finding]
    /// Why the verdict is unknown, when it is.
    public var unknownReason: String?
    /// Set when the history itself is at fault (operations that do not pair, values the model
    /// cannot read): the verdict is unknown and the command exits as for malformed input.
    public var historyError: String?
    public var elapsedSeconds: Double
    /// The checker's own result as JSON, for `results.json`.
    public var details: JSONValue
    /// The checker's own result as a value, for the report renderer of the same checker.
    public var payload: (any Sendable)?

    public init(
        checker: String, verdict: Verdict, summary: String, findings: [Finding] = [], unknownReason: String? = nil,
        elapsedSeconds: Double = 0, details: JSONValue = .null, payload: (any Sendable)? = nil
    ) {
        self.checker = checker
        self.verdict = verdict
        self.summary = summary
        self.findings = findings
        self.unknownReason = unknownReason
        self.elapsedSeconds = elapsedSeconds
        self.details = details
        self.payload = payload
    }

    /// An unknown outcome: the checker could not judge the history, for `reason`.
    public static func unknown(_ checker: String, reason: String) -> CheckerOutcome {
        CheckerOutcome(checker: checker, verdict: .unknown, summary: "unknown: \(reason)", unknownReason: reason)
    }

    /// An unknown outcome because the history cannot be read as this checker needs it.
    public static func malformed(_ checker: String, reason: String) -> CheckerOutcome {
        var o = unknown(checker, reason: reason)
        o.historyError = reason
        return o
    }

    /// The outcome as JSON: checker, verdict, summary, findings, details.
    public var json: JSONValue {
        .object([
            "checker": .string(checker), "verdict": .string(verdict.rawValue), "summary": .string(summary),
            "findings": .array(findings.map(\.json)), "unknownReason": unknownReason.map { .string($0) } ?? .null,
            "historyError": historyError.map { .string($0) } ?? .null,
            "elapsedSeconds": .double(elapsedSeconds), "details": details,
        ])
    }
}

extension Array where Element == CheckerOutcome {
    /// The verdicts merged: invalid beats unknown beats valid; no outcome at all is unknown.
    public var verdict: Verdict {
        guard let first else { return .unknown }
        return dropFirst().reduce(first.verdict) { $0.merged(with: $1.verdict) }
    }
}

/// One anomaly a checker found: its kind, where, which operations, and why, in prose.
///
/// Kinds are open: each checker names its own (`nonlinearizable`, `G2-item`, `lost-write`),
/// and a report renders the kinds it knows through their own renderer, the rest as prose.
public struct Finding: Sendable, Equatable {
    /// The anomaly's kind, as users compare it with other tools (Elle's names for Elle's anomalies).
    public var kind: String
    /// The key it concerns, when it concerns one.
    public var key: String?
    /// History indices of the operations involved.
    public var operations: [Int]
    /// The explanation a person can check by hand.
    public var prose: String

    public init(kind: String, key: String? = nil, operations: [Int] = [], prose: String) {
        self.kind = kind
        self.key = key
        self.operations = operations
        self.prose = prose
    }

    /// `{"kind":..., "key":..., "operations":[...], "prose":...}`.
    public var json: JSONValue {
        .object([
            "kind": .string(kind), "key": key.map { .string($0) } ?? .null,
            "operations": .array(operations.map { .int(Int64($0)) }), "prose": .string(prose),
        ])
    }
}
