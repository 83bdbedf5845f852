import Control
import Systems

/// A family that acts on the system's server process through one of its capabilities (kill, pause).
///
/// It names the capability and its two actions; planning (targets only), the refusal when the
/// system lacks the capability, apply and undo come with the protocol.
public protocol ServerFaultFamily: FaultFamily where Plan == NoDetails, Started == NoDetails, Stopped == NoDetails {
    /// The capability, e.g. `any KillableSystem`.
    associatedtype Capability: Sendable
    /// Target choices (one is drawn per fault).
    var targets: [TargetSpec] { get }
    /// What the capability offers, for the refusal ("kill and restart").
    var capabilityName: String { get }
    /// The undo's verb, for messages ("restart").
    var undoVerb: String { get }
    /// Applies the fault on one node (kill, pause).
    func act(_ system: Capability, on node: NodeConfig, in cluster: TestCluster) async throws(SystemError)
    /// Undoes it on one node (start, resume).
    func restore(_ system: Capability, on node: NodeConfig, in cluster: TestCluster) async throws(SystemError)
}

extension ServerFaultFamily {
    public func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<NoDetails> {
        Planned(kind: kind, nodes: TargetSpec.draw(targets, from: nodes, using: &rng), details: NoDetails())
    }

    /// Refuses before anything runs without the capability; else acts on every planned node.
    public func apply(_ plan: Planned<NoDetails>, in context: FaultContext) async throws(NemesisError) -> FaultStep<NoDetails> {
        let system = try capability(in: context)
        let result = await ServerFaults.act(on: plan.nodes, in: context, doing: name) { node, cluster throws(SystemError) in
            try await act(system, on: node, in: cluster)
        }
        return FaultStep(details: NoDetails(), errors: result.errors)
    }

    /// Restores every planned node.
    public func undo(_ plan: Planned<NoDetails>, in context: FaultContext) async -> FaultStep<NoDetails> {
        guard let restore = restorer(in: context) else {
            return FaultStep(details: NoDetails(), errors: [NodeFailure(node: "-", message: "cannot \(undoVerb): no system that can")])
        }
        return FaultStep(details: NoDetails(), errors: await ServerFaults.act(on: plan.nodes, in: context, doing: undoVerb, restore).errors)
    }

    /// The system as the capability, or the refusal "cannot kill: etcd does not support kill and restart".
    func capability(in context: FaultContext) throws(NemesisError) -> Capability {
        guard let system = context.system as? Capability else {
            let name = context.system?.name ?? "no database"
            throw NemesisError(.refused, message: "cannot \(self.name): \(name) does not support \(capabilityName)")
        }
        return system
    }

    /// The undo of one node through the context's system; nil when the system lacks the capability.
    public func restorer(in context: FaultContext) -> (@Sendable (NodeConfig, TestCluster) async throws(SystemError) -> Void)? {
        guard let system = context.system as? Capability else { return nil }
        return { node, cluster throws(SystemError) in try await restore(system, on: node, in: cluster) }
    }
}

/// Acting on the system's server processes through its capabilities, for the kill and pause families.
public enum ServerFaults {
    /// Calls `action` (kill, start, pause, resume) for each of `nodes` at once; returns the failures.
    public static func act(
        on nodes: [String], in context: FaultContext, doing what: String,
        _ action: @escaping @Sendable (NodeConfig, TestCluster) async throws(SystemError) -> Void
    ) async -> (done: [String], errors: [NodeFailure]) {
        let cluster = context.cluster
        let result = await context.eachNode(nodes) { config, _ throws(NemesisError) -> Bool in
            do throws(SystemError) {
                try await action(config, cluster)
            } catch {
                throw NemesisError(error, doing: what)
            }
            return true
        }
        return (nodes.filter { result.values[$0] == true }, result.errors)
    }

    /// The nodes a family's faults left acted on, by the journal: starts add the nodes where they
    /// worked, stops remove the nodes where they worked, heals remove the nodes they restored.
    public static func leftoverNodes(of family: String, in events: [FaultEvent]) -> Set<String> {
        var left: Set<String> = []
        for event in events {
            let failed = Set(event.errors.map(\.node))
            switch event.phase {
            case .start where event.family == family:
                left.formUnion(event.nodes.filter { !failed.contains($0) })
            case .stop where event.family == family:
                left.subtract(event.nodes.filter { !failed.contains($0) })
            case .heal:
                if case .object(let restored)? = event.details["restored"] {
                    left.subtract((restored[family]?.arrayValue ?? []).compactMap(\.stringValue))
                }
            default: break
            }
        }
        return left
    }

    /// Restores the nodes the journal says `family` left (with `restore`, when the system can),
    /// or notes each one (`note`, when it cannot).
    public static func heal(
        _ family: String, events: [FaultEvent], in context: FaultContext, doing what: String, done: String,
        restore: (@Sendable (NodeConfig, TestCluster) async throws(SystemError) -> Void)?, note: (String) -> String?
    ) async -> HealReport {
        var report = HealReport()
        let left = leftoverNodes(of: family, in: events).filter { context.node($0) != nil }.sorted()
        guard !left.isEmpty else { return report }
        guard let restore else {
            report.notes = left.compactMap(note)
            return report
        }
        let result = await act(on: left, in: context, doing: what, restore)
        report.actions = result.done.map { HealReport.Action(node: $0, what: done) }
        report.failures = result.errors
        if !result.done.isEmpty { report.restored[family] = result.done }
        return report
    }
}
