import Basics
import Histories

/// One fault start, stop or heal as it happened: the line of the fault journal and the
/// value of the history's nemesis operation.
public struct FaultEvent: Sendable, Hashable {
    /// What the event did.
    public enum Phase: String, Sendable, Hashable, Codable {
        /// A fault was applied.
        case start
        /// A fault was undone.
        case stop
        /// `healAll` or `schism heal` cleaned up (not tied to one fault).
        case heal
    }

    /// Nanoseconds since the test started.
    public var timeNanoseconds: Int64
    /// Pairs a stop with its start (0 for heal events).
    public var faultID: Int
    /// Start, stop or heal.
    public var phase: Phase
    /// The fault's family (`partition`, `clock`, ...), which names the history operation; nil for heal events.
    public var family: String?
    /// The fault's specific kind (`partition-one`); nil for heal events.
    public var kind: String?
    /// The nodes acted on.
    public var nodes: [String]
    /// What was done: grudge, offsets, loss probability, NTP services stopped, notes.
    public var details: [String: JSONValue]
    /// The nodes where it failed, and why.
    public var errors: [NodeFailure]

    /// Creates an event.
    public init(
        timeNanoseconds: Int64, faultID: Int, phase: Phase, family: String?, kind: String?, nodes: [String],
        details: [String: JSONValue] = [:], errors: [NodeFailure] = []
    ) {
        self.timeNanoseconds = timeNanoseconds
        self.faultID = faultID
        self.phase = phase
        self.family = family
        self.kind = kind
        self.nodes = nodes
        self.details = details
        self.errors = errors
    }

    /// `ok`, `partial` (failed on some nodes) or `error` (failed on every node).
    public var result: String {
        if errors.isEmpty { return "ok" }
        return Set(errors.map(\.node)).count < max(1, nodes.count) ? "partial" : "error"
    }

    /// The history operation's `f`: `start-partition`, `stop-clock`, ..., or `heal`.
    public var f: String {
        guard let family, phase != .heal else { return "heal" }
        return (phase == .start ? "start-" : "stop-") + family
    }

    /// The history operation's value: the kind, nodes and details, plus errors when any.
    public var historyValue: JSONValue {
        var object = details
        if let kind { object["kind"] = .string(kind) }
        object["nodes"] = .array(nodes.map { .string($0) })
        object["fault"] = .int(Int64(faultID))
        if !errors.isEmpty { object["errors"] = .array(errors.map(\.json)) }
        return .object(object)
    }

    /// The journal line's JSON object.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "time": .int(timeNanoseconds), "fault": .int(Int64(faultID)), "phase": .string(phase.rawValue),
            "f": .string(f), "nodes": .array(nodes.map { .string($0) }), "details": .object(details),
            "result": .string(result), "errors": .array(errors.map(\.json)),
        ]
        object["kind"] = kind.map { .string($0) } ?? .null
        return .object(object)
    }

    /// Parses a journal line's object; the error names the first missing or malformed field.
    public static func parse(_ value: JSONValue) throws(NemesisError) -> FaultEvent {
        func bad(_ why: String) -> NemesisError { NemesisError(.journal, message: why) }
        guard case .object(let o) = value else { throw bad("not a JSON object") }
        guard let time = o["time"]?.intValue else { throw bad("missing integer field 'time'") }
        guard let phaseText = o["phase"]?.stringValue, let phase = Phase(rawValue: phaseText) else {
            throw bad("missing or unknown 'phase' (start, stop or heal)")
        }
        var family: String?
        if phase != .heal {
            let f = o["f"]?.stringValue ?? ""
            let prefix = phase == .start ? "start-" : "stop-"
            guard f.hasPrefix(prefix), f.count > prefix.count else { throw bad("missing or malformed 'f' (\(prefix)<family>)") }
            family = String(f.dropFirst(prefix.count))
        }
        let nodes = (o["nodes"]?.arrayValue ?? []).compactMap(\.stringValue)
        var details: [String: JSONValue] = [:]
        if case .object(let d)? = o["details"] { details = d }
        let errors = (o["errors"]?.arrayValue ?? []).compactMap(NodeFailure.init(json:))
        return FaultEvent(
            timeNanoseconds: time, faultID: Int(o["fault"]?.intValue ?? 0), phase: phase, family: family,
            kind: o["kind"]?.stringValue,
            nodes: nodes, details: details, errors: errors)
    }

    /// The history operation for this event: `process: "nemesis", type: "info"`.
    ///
    /// `index` is the history's next index; `time` defaults to the event's own time.
    public func operation(index: Int, time: Int64? = nil) -> Op {
        let message = errors.isEmpty ? nil : errors.map { "\($0.node): \($0.message)" }.joined(separator: "; ")
        return Op(
            index: index, time: time ?? timeNanoseconds, process: .nemesis, type: .info, f: f,
            value: historyValue, error: message)
    }
}

/// A failure on one node, for events and heal reports.
public struct NodeFailure: Sendable, Hashable, CustomStringConvertible {
    /// The node's name.
    public var node: String
    /// What failed: the command and the tail of its stderr.
    public var message: String

    /// Creates a failure.
    public init(node: String, message: String) {
        self.node = node
        self.message = message
    }

    /// `{"node":..., "error":...}`.
    public var json: JSONValue { .object(["node": .string(node), "error": .string(message)]) }

    /// Parses ``json``.
    public init?(json: JSONValue) {
        guard case .object(let o) = json, let node = o["node"]?.stringValue else { return nil }
        self.init(node: node, message: o["error"]?.stringValue ?? "")
    }

    /// `node: message`.
    public var description: String { "\(node): \(message)" }
}
