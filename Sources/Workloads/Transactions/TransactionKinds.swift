import Basics
import Checkers
import Config
import Systems

/// The `list-append` workload kind: transactions of appends and list reads over a rotating key
/// set, checked by the `list-append` checker (Elle) against a consistency model.
///
/// Fields of `workload:` (docs/workload.md): ``TransactionSettings/fields``.
public struct ListAppendKind: WorkloadKind {
    public init() {}

    public var name: String { TransactionFlavor.listAppend.rawValue }

    public var summary: String { "transactions of list appends and reads on rotating keys, checked by Elle's rules for a consistency model" }

    public func configure(_ section: ConfigSection) throws(ConfigError) -> any Workload {
        TransactionWorkload(flavor: .listAppend, options: try TransactionSettings(section, flavor: .listAppend))
    }
}

/// The `rw-register` workload kind: transactions of register writes and reads over a rotating
/// key set, checked by the `rw-register` checker (Elle) against a consistency model.
public struct RWRegisterKind: WorkloadKind {
    public init() {}

    public var name: String { TransactionFlavor.rwRegister.rawValue }

    public var summary: String { "transactions of register writes and reads on rotating keys, checked by Elle's rules for a consistency model" }

    public func configure(_ section: ConfigSection) throws(ConfigError) -> any Workload {
        TransactionWorkload(flavor: .rwRegister, options: try TransactionSettings(section, flavor: .rwRegister))
    }
}

/// Which transactional workload: it names the write micro-operation and the checker.
public enum TransactionFlavor: String, Sendable, Hashable {
    case listAppend = "list-append"
    case rwRegister = "rw-register"

    /// The write micro-operation's function: `append` or `w`.
    public var writeFunction: String { self == .listAppend ? "append" : "w" }
}

/// The settings both transactional kinds share, read from `workload:`.
public struct TransactionSettings: Sendable, Equatable {
    /// Keys in use at once (Jepsen's `key-count`).
    public var keyCount = 5
    /// Writes a key gets before it is retired and replaced by a fresh key.
    public var maxWritesPerKey = 32
    /// Micro-operations per transaction, at least.
    public var minTxnLength = 1
    /// Micro-operations per transaction, at most.
    public var maxTxnLength = 4
    /// Weights of reads (`r`) and writes (`append` or `w`).
    public var mix: [String: Double]
    /// The consistency model the checker judges the history against (Elle's name).
    public var consistency = "strict-serializable"

    /// The fields of `workload:` besides `kind`.
    public static let fields = ["key-count", "max-writes-per-key", "min-txn-length", "max-txn-length", "mix", "consistency"]

    /// Elle's names of the models a workload file may ask for.
    public static let models = ["read-committed", "repeatable-read", "snapshot-isolation", "serializable", "strict-serializable"]

    /// The defaults for `flavor`: an even mix of reads and writes.
    public init(flavor: TransactionFlavor) {
        mix = ["r": 1, flavor.writeFunction: 1]
    }

    /// Reads the section (`kind` already read); every error names the file, line and field.
    public init(_ section: ConfigSection, flavor: TransactionFlavor) throws(ConfigError) {
        self.init(flavor: flavor)
        try section.forEach(skipping: ["kind"]) { f throws(ConfigError) in
            switch f.name {
            case "key-count": keyCount = try f.int(min: 1, max: 100_000)
            case "max-writes-per-key": maxWritesPerKey = try f.int(min: 1, max: 1_000_000)
            case "min-txn-length": minTxnLength = try f.int(min: 1, max: 1000)
            case "max-txn-length": maxTxnLength = try f.int(min: 1, max: 1000)
            case "mix": mix = try f.weights(of: ["r", flavor.writeFunction])
            case "consistency": consistency = try f.choice(Self.models)
            default: throw f.unknown(expected: Self.fields)
            }
        }
        if minTxnLength > maxTxnLength {
            let field = section.field("min-txn-length") ?? section.field("max-txn-length")
            let message = "min-txn-length (\(minTxnLength)) is above max-txn-length (\(maxTxnLength)); lower the first or raise the second"
            throw field?.fail(message) ?? ConfigError(file: section.file, line: section.node.line, field: section.path, message: message)
        }
    }

    /// The settings as JSON, for `test.json`.
    public var json: [String: JSONValue] {
        [
            "keyCount": .int(Int64(keyCount)), "maxWritesPerKey": .int(Int64(maxWritesPerKey)),
            "minTxnLength": .int(Int64(minTxnLength)), "maxTxnLength": .int(Int64(maxTxnLength)),
            "mix": .object(mix.mapValues { .double($0) }), "consistency": .string(consistency),
        ]
    }
}
