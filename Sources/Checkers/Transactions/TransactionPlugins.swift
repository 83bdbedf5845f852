import Basics

/// The `list-append` and `rw-register` checkers as plug-ins (Elle's transactional checkers).
///
/// Options (all optional): `consistency` (an Elle model name from ``ConsistencyModels/names``;
/// default `strict-serializable`), `cycleBudget` (edge visits per component and anomaly class
/// before a search gives up as unknown; default 2,000,000), `examples` (examples kept per kind; default 8).
public struct TransactionPlugin: CheckerPlugin {
    /// List-append (true) or rw-register (false).
    public var listAppend: Bool

    public init(listAppend: Bool) {
        self.listAppend = listAppend
    }

    public var name: String { listAppend ? "list-append" : "rw-register" }

    public var summary: String {
        (listAppend ? "Elle's list-append" : "Elle's rw-register")
            + " transactional check: version orders, dependency cycles, anomalies by Elle's names (consistency: \(ConsistencyModels.names.joined(separator: ", ")))"
    }

    /// The option names this checker reads.
    public static let optionNames = ["consistency", "cycleBudget", "examples"]

    public func make(_ options: [String: JSONValue]) throws(CheckerOptionError) -> any Checker {
        func bad(_ option: String, _ message: String) -> CheckerOptionError {
            CheckerOptionError(checker: name, option: option, message: message)
        }
        if let unknown = options.keys.sorted().first(where: { !Self.optionNames.contains($0) }) {
            throw bad(unknown, "unknown option; known: \(Self.optionNames.joined(separator: ", "))")
        }
        var check = TransactionCheck(listAppend: listAppend)
        if let v = options["consistency"], !v.isNull {
            guard let model = v.stringValue, ConsistencyModels.names.contains(model) else {
                throw bad("consistency", "\(v.jsonText) is not a consistency model; choose one of \(ConsistencyModels.names.joined(separator: ", "))")
            }
            check.consistency = model
        }
        for (key, min) in [("cycleBudget", 1), ("examples", 0)] {
            guard let v = options[key], !v.isNull else { continue }
            guard let n = v.intValue, n >= min, n <= Int64(Int32.max) else {
                throw bad(key, "expected an integer of at least \(min), got \(v.jsonText)")
            }
            if key == "cycleBudget" { check.cycleBudget = Int(n) } else { check.examplesPerKind = Int(n) }
        }
        return check
    }
}

extension TransactionPlugin {
    /// The names of the transactional checkers.
    public static let names = ["list-append", "rw-register"]
}
