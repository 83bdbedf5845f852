import Basics
import Control

/// Network partitions: a ``Grudge`` applied as DROP rules in each receiving node's SCHISM chain.
///
/// Five shapes, as in Jepsen: fixed halves, random halves, one node isolated, a majorities ring
/// and a bridge. The controller is never part of a grudge and keeps a RETURN rule ahead of every
/// DROP, so it is never cut off. The undo deletes exactly the rules the start added; heal
/// removes the chain and its jumps, and nothing else.
public struct PartitionFamily: FirewallFaultFamily {
    /// The family.
    public init() {}

    public var name: String { "partition" }
    public var kinds: [String] {
        ["partition-halves", "partition-random-halves", "partition-one", "partition-majorities-ring", "partition-bridge"]
    }
    public var colour: String { "#7a4ea3" }
    public var help: String { "cut the network between groups of nodes (halves, random halves, one node, majorities ring, bridge)" }

    public func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<PartitionPlan> {
        let grudge = Self.grudge(kind, nodes: nodes, using: &rng) ?? Grudge(drops: [:])
        return Planned(kind: kind, nodes: nodes.filter { !grudge.dropped(by: $0).isEmpty }, details: PartitionPlan(grudge: grudge))
    }

    public func apply(_ plan: Planned<PartitionPlan>, in context: FaultContext) async throws(NemesisError)
        -> FaultStep<PartitionPlan>
    {
        FaultStep(details: plan.details, errors: await Firewall.add(rules(plan, in: context), in: context))
    }

    /// The DROP rules of each node of the plan: one per peer it drops.
    public func rules(_ plan: Planned<PartitionPlan>, in context: FaultContext) -> [String: [[String]]] {
        Firewall.byNode(plan.nodes) { node in
            Firewall.hosts(plan.details.grudge.dropped(by: node), in: context).map(Firewall.dropRule(from:))
        }
    }

    /// The grudge of a partition kind; nil for a kind this family does not offer.
    public static func grudge(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Grudge? {
        switch kind {
        case "partition-halves": return .halves(nodes)
        case "partition-random-halves": return .randomHalves(nodes, using: &rng)
        case "partition-one": return .isolateOne(nodes, using: &rng)
        case "partition-majorities-ring": return .majoritiesRing(nodes, using: &rng)
        case "partition-bridge": return .bridge(nodes, using: &rng)
        default: return nil
        }
    }
}

/// A partition's details: who drops whom (`{"grudge":{"n1":["n2","n3"],...}}`).
public struct PartitionPlan: FaultDetails {
    /// For each node, the peers whose packets it drops.
    public var grudge: Grudge

    /// Details for `grudge`.
    public init(grudge: Grudge) {
        self.grudge = grudge
    }

    public init(json: [String: JSONValue]) throws(NemesisError) {
        grudge = try json.field("grudge") { Grudge(json: $0) }
    }

    public var json: [String: JSONValue] { ["grudge": grudge.json] }
}
