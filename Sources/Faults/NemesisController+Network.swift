import Foundation
import Control
import Histories

extension NemesisController {
    /// Applies a partition's grudge or packet loss as DROP rules in each node's SCHISM chain.
    func applyNetwork(_ plan: FaultPlan) async -> Outcome {
        var outcome = Outcome()
        var rulesByNode: [String: [[String]]] = [:]
        for name in plan.nodes {
            let peers: [String]
            if let grudge = plan.grudge {
                peers = grudge.dropped(by: name)
            } else {
                peers = nodeNames.filter { $0 != name }
            }
            let addresses = peers.compactMap { node($0)?.host }
            if let p = plan.lossProbability {
                rulesByNode[name] = addresses.map { Firewall.lossRule(from: $0, probability: p) }
            } else {
                rulesByNode[name] = addresses.map { Firewall.dropRule(from: $0) }
            }
        }
        if let grudge = plan.grudge {
            outcome.details["grudge"] = grudge.json
        }
        if let p = plan.lossProbability {
            outcome.details["probability"] = .double(p)
            if let first = plan.nodes.first, let remote = cluster.remotes[first] {
                let netem = try? await run(remote, Firewall.netemProbeScript, sudo: false, doing: "probe netem")
                outcome.details["netem"] = .string(netem?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown")
            }
        }
        let rules = rulesByNode
        let result = await eachNode(plan.nodes) { config, remote throws(NemesisError) -> Bool in
            let controller = try await self.controllerAddress(remote)
            let script = Firewall.addScript(rules: rules[config.name] ?? [], controller: controller)
            _ = try await self.run(remote, script, sudo: true, doing: "add iptables rules to chain \(Firewall.chain)")
            return true
        }
        outcome.errors = result.errors
        // Rules are kept for every node, also where adding failed half-way: the undo deletes what exists.
        outcome.rules = rulesByNode
        outcome.applied = plan.nodes.filter { result.values[$0] == true }
        return outcome
    }

    /// Deletes exactly the rules a partition or packet loss added (and the chain once empty).
    func undoNetwork(_ fault: FaultRecord) async -> Outcome {
        var outcome = Outcome()
        let rules = fault.rules
        let result = await eachNode(fault.nodes) { config, remote throws(NemesisError) -> Bool in
            let script = Firewall.deleteScript(rules: rules[config.name] ?? [])
            _ = try await self.run(remote, script, sudo: true, doing: "delete iptables rules from chain \(Firewall.chain)")
            return true
        }
        outcome.errors = result.errors
        return outcome
    }

    /// The controller's address as `remote` sees it (cached); nil when the node cannot tell.
    func controllerAddress(_ remote: any Remote) async throws(NemesisError) -> String? {
        if let cached = state.withLock({ $0.controllerAddresses[remote.node] }) {
            return cached.isEmpty ? nil : cached
        }
        let text = try await run(remote, Firewall.controllerAddressScript, sudo: false, doing: "read $SSH_CONNECTION")
        let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
        state.withLock { $0.controllerAddresses[remote.node] = address }
        return address.isEmpty ? nil : address
    }
}
