import Histories

/// What a heal undid, what it could not, and what a person still has to do.
public struct HealReport: Sendable, Hashable {
    /// One thing undone on a node (`removed chain SCHISM with 3 rule(s)`).
    public struct Action: Sendable, Hashable, CustomStringConvertible {
        /// The node.
        public var node: String
        /// What was undone.
        public var what: String

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

    /// Whether every undo succeeded.
    public var isClean: Bool { failures.isEmpty }

    /// The journal and history event for this heal (`f: "heal"`).
    public func event(timeNanoseconds: Int64, nodes: [String]) -> FaultEvent {
        FaultEvent(
            timeNanoseconds: timeNanoseconds, faultID: 0, phase: .heal, kind: nil, nodes: nodes,
            details: [
                "undone": .array(actions.map { .string($0.description) }),
                "notes": .array(notes.map { .string($0) }),
            ],
            errors: failures)
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

/// What a journal says is still to be undone on which node.
public struct JournalLeftovers: Sendable, Hashable {
    /// NTP services stopped by a clock fault and not yet restarted, by node.
    public var ntpStopped: [String: [String]] = [:]
    /// Nodes whose real clock was moved and not reset.
    public var systemClockShifted: Set<String> = []
    /// Nodes whose server was killed and not started again.
    public var killed: Set<String> = []
    /// Nodes whose server was paused and not resumed.
    public var paused: Set<String> = []

    /// Replays the events in order: starts add, successful stops and heals remove.
    public init(events: [FaultEvent]) {
        for event in events {
            switch event.phase {
            case .heal:
                let failed = Set(event.errors.map(\.node))
                for node in Array(ntpStopped.keys) where !failed.contains(node) { ntpStopped[node] = nil }
                systemClockShifted = systemClockShifted.intersection(failed)
            case .start:
                guard let kind = event.kind else { continue }
                let failed = Set(event.errors.map(\.node))
                let done = event.nodes.filter { !failed.contains($0) }
                switch kind.family {
                case .kill: killed.formUnion(done)
                case .pause: paused.formUnion(done)
                case .clock:
                    if case .object(let stopped)? = event.details["ntp_stopped"] {
                        for (node, list) in stopped {
                            ntpStopped[node, default: []] += (list.arrayValue ?? []).compactMap(\.stringValue)
                        }
                    }
                    for node in (event.details["system_clock"]?.arrayValue ?? []).compactMap(\.stringValue) {
                        systemClockShifted.insert(node)
                    }
                default: break
                }
            case .stop:
                guard let kind = event.kind else { continue }
                let failed = Set(event.errors.map(\.node))
                let done = event.nodes.filter { !failed.contains($0) }
                switch kind.family {
                case .kill: killed.subtract(done)
                case .pause: paused.subtract(done)
                case .clock:
                    for node in done {
                        ntpStopped[node] = nil
                        systemClockShifted.remove(node)
                    }
                default: break
                }
            }
        }
    }

    /// Nothing left.
    public init() {}
}
