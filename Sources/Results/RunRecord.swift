import Basics
import Checkers
import Report

/// What `test.json` records about a run: the workload, seed, system, nodes, faults asked for and
/// the checkers (with their options) that judge it, so that the run can be analysed again as it was.
///
/// `docs/results.md` lists every field. The runner fills it in before the clients start.
public struct RunRecord: Sendable, Equatable {
    /// The workload's name, e.g. `etcd-register`.
    public var workload: String
    /// The seed that reproduces the schedule.
    public var seed: UInt64
    /// The system under test, e.g. `etcd`.
    public var system: String
    /// Its version, as the nodes reported it.
    public var systemVersion: String?
    /// The nodes, each with what the runner knew of it (`host`, `clock`, `dataDir`).
    public var nodes: [Node]
    /// The checkers the run asked for, in order; `schism check` and `schism analyze` make them again.
    public var checkers: [CheckerSpec]
    /// The time limit of the client phase.
    public var timeLimitSeconds: Double?
    /// The kinds of faults asked for, e.g. `partition`, `kill`.
    public var faults: [String]
    /// When the run started (ISO 8601, UTC).
    public var startDate: String?
    /// The workload's other settings, as the runner resolved them (written under `workload`,
    /// beside `name`, `timeLimitSeconds` and `nemeses`).
    public var settings: [String: JSONValue]
    /// The command line.
    public var command: [String]
    /// The version of Schism that made the run.
    public var schismVersion: String

    /// A node of the run: its name and the rest of what the runner recorded.
    public struct Node: Sendable, Equatable {
        /// The node's name, e.g. `n1`.
        public var name: String
        /// The rest, as written beside `name` in `test.json`.
        public var fields: [String: JSONValue]

        /// A node named `name`.
        public init(name: String, fields: [String: JSONValue] = [:]) {
            self.name = name
            self.fields = fields
        }
    }

    /// A record of a run; `checkers` are the specs that judge it.
    public init(
        workload: String, seed: UInt64, system: String, systemVersion: String? = nil, nodes: [Node] = [],
        checkers: [CheckerSpec], timeLimitSeconds: Double? = nil, faults: [String] = [], startDate: String? = nil,
        settings: [String: JSONValue] = [:], command: [String] = [], schismVersion: String = SchismVersion.current
    ) {
        self.workload = workload
        self.seed = seed
        self.system = system
        self.systemVersion = systemVersion
        self.nodes = nodes
        self.checkers = checkers
        self.timeLimitSeconds = timeLimitSeconds
        self.faults = faults
        self.startDate = startDate
        self.settings = settings
        self.command = command
        self.schismVersion = schismVersion
    }

    /// The record as `test.json` holds it.
    public var json: JSONValue {
        var w = settings
        w["name"] = .string(workload)
        w["timeLimitSeconds"] = timeLimitSeconds.map(JSONValue.double) ?? .null
        w["nemeses"] = .array(faults.map(JSONValue.string))
        var database: [String: JSONValue] = ["name": .string(system)]
        database["version"] = systemVersion.map(JSONValue.string)
        return .object([
            "schism": .string(schismVersion),
            "workload": .object(w),
            "seed": .string(String(seed)),
            "nodes": .array(nodes.map { n in .object(n.fields.merging(["name": .string(n.name)]) { $1 }) }),
            "database": .object(database),
            "checkers": .array(checkers.map(\.json)),
            "started": startDate.map(JSONValue.string) ?? .null,
            "command": .array(command.map(JSONValue.string)),
        ])
    }

    /// Reads ``json``; the message says which field is missing or malformed.
    public init(json: JSONValue) throws(RecordError) {
        guard case .object(let top) = json else { throw RecordError("not a JSON object") }
        guard case .object(var w)? = top["workload"], let name = w["name"]?.stringValue else {
            throw RecordError("no workload name (workload.name)")
        }
        let seedValue = top["seed"]
        guard let seed = seedValue?.stringValue.flatMap({ UInt64($0) }) ?? seedValue?.intValue.map({ UInt64(bitPattern: $0) }) else {
            throw RecordError("no seed (seed, a decimal string)")
        }
        var database: [String: JSONValue] = [:]
        if case .object(let d)? = top["database"] { database = d }
        guard let system = database["name"]?.stringValue ?? w["system"]?.stringValue else {
            throw RecordError("no system (database.name)")
        }
        var nodes: [Node] = []
        for value in top["nodes"]?.arrayValue ?? [] {
            guard case .object(var fields) = value, let n = fields.removeValue(forKey: "name")?.stringValue else {
                throw RecordError("a node without a name: \(value.jsonText)")
            }
            nodes.append(Node(name: n, fields: fields))
        }
        var checkers: [CheckerSpec] = []
        for value in top["checkers"]?.arrayValue ?? [] {
            guard let spec = CheckerSpec(json: value) else { throw RecordError("a checker that is not {\"name\", \"options\"}: \(value.jsonText)") }
            checkers.append(spec)
        }
        let faults = (w.removeValue(forKey: "nemeses")?.arrayValue ?? []).compactMap(\.stringValue)
        var limit: Double?
        switch w.removeValue(forKey: "timeLimitSeconds") {
        case .double(let d)?: limit = d
        case .int(let i)?: limit = Double(i)
        default: limit = nil
        }
        w["name"] = nil
        self.init(
            workload: name, seed: seed, system: system, systemVersion: database["version"]?.stringValue, nodes: nodes,
            checkers: checkers, timeLimitSeconds: limit, faults: faults, startDate: top["started"]?.stringValue,
            settings: w, command: (top["command"]?.arrayValue ?? []).compactMap(\.stringValue),
            schismVersion: top["schism"]?.stringValue ?? "unknown")
    }

    /// The report's view of the run, with the folder and the notes to read first.
    public func metadata(resultsPath: String?, notes: [String]) -> RunMetadata {
        RunMetadata(
            workload: workload, seed: seed, nodes: nodes.map(\.name), database: system, databaseVersion: systemVersion,
            startDate: startDate, timeLimitSeconds: timeLimitSeconds, nemeses: faults, resultsPath: resultsPath, notes: notes)
    }
}

/// A `test.json` that cannot be read as a ``RunRecord``: what is missing or malformed.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is missing or malformed, naming the field.
    public var message: String

    /// An error saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Schism's version, written into every run's `test.json`.
public enum SchismVersion {
    /// This build's version.
    public static let current = "0.1.0"
}
