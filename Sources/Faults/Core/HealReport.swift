import Basics
import Histories

/// What a heal undid, what it could not, and what a person still has to do.
public struct HealReport: Sendable, Hashable {
    /// One thing undone on a node (`removed chain SCHISM with 3 rule(s)`).
    public struct Action: Sendable, Hashable, CustomStringConvertible {
        /// The node.
        public var node: String
        /// What was undone.
        public var what: String

        /// An action.
        public init(node: String, what: String) {
            self.node = node
            self.what = what
        }

        /// `node: what`.
        public var description: String { "\(node): \(what)" }
    }

    /// Everything undone, in node order.
    public var actions: [Action] = []
    /// Where undoing failed (best effort: the rest went on).
    public var failures: [NodeFailure] = []
    /// Things heal cannot do itself (for example: restart a killed server without knowing the database).
    public var notes: [String] = []
    /// The stop events of faults that were still active (controller heals only).
    public var stopped: [FaultEvent] = []
    /// Nodes a family's heal brought back, by family name (e.g. servers started again after a
    /// kill); a later heal's journal replay no longer counts them as left behind.
    public var restored: [String: [String]] = [:]

    /// Nothing undone yet.
    public init() {}

    /// Adds another report's actions, failures, notes and restored nodes.
    public mutating func merge(_ other: HealReport) {
        actions += other.actions
        failures += other.failures
        notes += other.notes
        stopped += other.stopped
        restored.merge(other.restored) { $0 + $1 }
    }

    /// Whether every undo succeeded.
    public var isClean: Bool { failures.isEmpty }

    /// The journal and history event for this heal (`f: "heal"`).
    public func event(timeNanoseconds: Int64, nodes: [String]) -> FaultEvent {
        var details: [String: JSONValue] = [
            "undone": .array(actions.map { .string($0.description) }),
            "notes": .array(notes.map { .string($0) }),
        ]
        if !restored.isEmpty { details["restored"] = .object(restored.mapValues { .array($0.map { .string($0) }) }) }
        return FaultEvent(
            timeNanoseconds: timeNanoseconds, faultID: 0, phase: .heal, family: nil, kind: nil, nodes: nodes,
            details: details, errors: failures)
    }

    /// Human-readable lines: what was undone, then failures and notes.
    public var lines: [String] {
        var out = actions.map { "undid  \($0)" }
        out += failures.map { "FAILED \($0)" }
        out += notes.map { "note   \($0)" }
        if actions.isEmpty && failures.isEmpty { out.insert("nothing to undo: no Schism fault was left on any node", at: 0) }
        return out
    }
}
