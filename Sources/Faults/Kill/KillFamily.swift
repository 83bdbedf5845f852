import Control
import Systems

/// Kills the server on some nodes (SIGKILL, through ``KillableSystem``); the undo starts it again.
///
/// Refused before anything runs when the system under test cannot be killed and restarted.
/// Heal restarts servers the journal says were killed and never started again, when it knows
/// the system; `schism heal`, which does not, names them in notes.
public struct KillFamily: ServerFaultFamily {
    public typealias Capability = any KillableSystem
    public var targets: [TargetSpec]

    /// The family with its target choices.
    public init(targets: [TargetSpec] = [.one, .minority, .majority, .all]) {
        self.targets = targets
    }

    public var name: String { "kill" }
    public var kinds: [String] { ["kill"] }
    public var colour: String { "#c62828" }
    public var help: String { "kill the server on some nodes (SIGKILL); the undo starts it again" }
    public var capabilityName: String { "kill and restart" }
    public var undoVerb: String { "restart" }

    public func act(_ system: any KillableSystem, on node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await system.kill(node, in: cluster)
    }

    public func restore(_ system: any KillableSystem, on node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await system.start(node, in: cluster)
    }

    public func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport {
        await ServerFaults.heal(
            name, events: events, in: context, doing: undoVerb, done: "started the server again", restore: restorer(in: context),
            note: { node in
                "\(node): the journal says its server was killed and not started again; heal cannot start a "
                    + "database it does not know: start it (or run the test's teardown)"
            })
    }
}
