import Control
import Systems

/// Kills the server on some nodes (SIGKILL, through ``KillableSystem``); the undo starts it again.
///
/// Refused before anything runs when the system under test cannot be killed and restarted.
/// Heal restarts servers the journal says were killed and never started again, when it knows
/// the system; `schism heal`, which does not, names them in notes.
public struct KillFamily: FaultFamily {
    /// Target choices (one is drawn per fault).
    public var targets: [TargetSpec]

    /// The family with its target choices.
    public init(targets: [TargetSpec] = [.one, .minority, .majority, .all]) {
        self.targets = targets
    }

    public var name: String { "kill" }
    public var kinds: [String] { ["kill"] }
    public var colour: String { "#c62828" }
    public var help: String { "kill the server on some nodes (SIGKILL); the undo starts it again" }
    static let needs = "kill and restart"

    public func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<NoDetails> {
        Planned(kind: kind, nodes: TargetSpec.draw(targets, from: nodes, using: &rng), details: NoDetails())
    }

    public func apply(_ plan: Planned<NoDetails>, in context: FaultContext) async throws(NemesisError) -> FaultStep<NoDetails> {
        _ = try ServerFaults.system(context, as: (any KillableSystem).self, toDo: "kill", needing: Self.needs)
        return await ServerFaults.step(on: plan.nodes, in: context, as: (any KillableSystem).self, doing: "kill", needing: Self.needs) {
            system, node, cluster throws(SystemError) in try await system.kill(node, in: cluster)
        }
    }

    public func undo(_ plan: Planned<NoDetails>, in context: FaultContext) async -> FaultStep<NoDetails> {
        await ServerFaults.step(on: plan.nodes, in: context, as: (any KillableSystem).self, doing: "restart", needing: Self.needs) {
            system, node, cluster throws(SystemError) in try await system.start(node, in: cluster)
        }
    }

    public func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport {
        var restart: (@Sendable (NodeConfig, TestCluster) async throws(SystemError) -> Void)?
        if let system = context.system as? any KillableSystem {
            restart = { node, cluster throws(SystemError) in try await system.start(node, in: cluster) }
        }
        return await ServerFaults.heal(
            name, events: events, in: context, doing: "restart", done: "started the server again", restore: restart,
            note: { node in
                "\(node): the journal says its server was killed and not started again; heal cannot start a "
                    + "database it does not know: start it (or run the test's teardown)"
            })
    }
}
