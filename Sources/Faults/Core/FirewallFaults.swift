import Control
import Foundation

/// A family whose faults are DROP rules in the SCHISM chain, computed from the plan.
///
/// It gives the rules; the undo (delete exactly those rules) and the heal (remove the chain and
/// its jumps) come with the protocol.
public protocol FirewallFaultFamily: FaultFamily where Stopped == NoDetails {
    /// Each planned node's rules (`Firewall.dropRule`, `Firewall.lossRule`), a pure function of
    /// the plan and the nodes' hosts, so the undo recomputes exactly what the start added.
    func rules(_ plan: Planned<Plan>, in context: FaultContext) -> [String: [[String]]]
}

extension FirewallFaultFamily {
    /// Deletes exactly the plan's rules (and the chain once no DROP rule is left).
    public func undo(_ plan: Planned<Plan>, in context: FaultContext) async -> FaultStep<NoDetails> {
        FaultStep(details: NoDetails(), errors: await Firewall.delete(rules(plan, in: context), in: context))
    }

    /// Removes the chain and its jumps on every connected node, whatever they hold.
    public func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport {
        await Firewall.heal(in: context)
    }
}

/// Adding, deleting and healing DROP rules in each node's SCHISM chain, for the network families.
///
/// The rules of a fault are a pure function of its plan and the nodes' hosts, so the undo
/// recomputes exactly what the start added and deletes only that.
extension Firewall {
    /// Adds each node's `rules` (after the chain, its jump and the controller's RETURN rule); returns the failures.
    public static func add(_ rules: [String: [[String]]], in context: FaultContext) async -> [NodeFailure] {
        let result = await context.eachNode(rules.keys.sorted()) { config, remote throws(NemesisError) -> Bool in
            let controller = try await controllerAddress(remote, in: context)
            let script = addScript(rules: rules[config.name] ?? [], controller: controller)
            try await context.run(remote, script, sudo: true, doing: "add iptables rules to chain \(chain)")
            return true
        }
        return result.errors
    }

    /// Deletes exactly each node's `rules` (and the chain once no DROP rule is left); returns the failures.
    public static func delete(_ rules: [String: [[String]]], in context: FaultContext) async -> [NodeFailure] {
        let result = await context.eachNode(rules.keys.sorted()) { config, remote throws(NemesisError) -> Bool in
            let script = deleteScript(rules: rules[config.name] ?? [])
            try await context.run(remote, script, sudo: true, doing: "delete iptables rules from chain \(chain)")
            return true
        }
        return result.errors
    }

    /// Heal: removes the chain and its jumps on every connected node, whatever they hold.
    public static func heal(in context: FaultContext) async -> HealReport {
        await context.runEverywhere({ _ in removeAllScript + "exit 0\n" }, doing: "remove chain \(chain)")
    }

    /// `rules(node)` for each of `nodes` (the first wins if a node is named twice).
    public static func byNode(_ nodes: [String], _ rules: (String) -> [[String]]) -> [String: [[String]]] {
        Dictionary(nodes.map { ($0, rules($0)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The addresses of `peers` (their nodes-file hosts).
    public static func hosts(_ peers: [String], in context: FaultContext) -> [String] {
        peers.compactMap { context.node($0)?.host }
    }

    /// The controller's address as `remote` sees it (cached per context); nil when the node cannot tell.
    static func controllerAddress(_ remote: any Remote, in context: FaultContext) async throws(NemesisError) -> String? {
        if let cached = context.withState(ControllerAddresses(), { $0.byNode[remote.node] }) {
            return cached.isEmpty ? nil : cached
        }
        let text = try await context.run(remote, controllerAddressScript, sudo: false, doing: "read $SSH_CONNECTION")
        let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
        context.withState(ControllerAddresses()) { $0.byNode[remote.node] = address }
        return address.isEmpty ? nil : address
    }

    /// The controller's address as each node sees it.
    struct ControllerAddresses: Sendable {
        var byNode: [String: String] = [:]
    }
}
