import Basics
import Control
import Foundation

/// Packet loss: some nodes drop a share of the packets they receive from their peers.
///
/// Applied with iptables' statistic match (`-m statistic --mode random --probability p -j DROP`)
/// in the same SCHISM chain as partitions, because the kernel here has no `sch_netem`; each start
/// records whether netem is available on the first target. Selected by `packet-loss` or `loss`.
public struct PacketLossFamily: FirewallFaultFamily {
    /// Target choices (the chosen nodes drop packets from every peer).
    public var targets: [TargetSpec]
    /// Probabilities to draw from (0...1).
    public var probabilities: [Double]

    /// The family with its target and probability choices.
    public init(targets: [TargetSpec] = [.one, .majority, .all], probabilities: [Double] = [0.1, 0.3, 0.5]) {
        self.targets = targets
        self.probabilities = probabilities
    }

    public var name: String { "packet-loss" }
    public var kinds: [String] { ["packet-loss"] }
    public var aliases: [String] { ["loss"] }
    public var colour: String { "#00897b" }
    public var help: String { "drop a random share of the packets some nodes receive from their peers" }

    public func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<PacketLossPlan> {
        let picked = TargetSpec.draw(targets, from: nodes, using: &rng)
        let p = Seeded.pick(probabilities, using: &rng) ?? 0.1
        return Planned(kind: kind, nodes: picked, details: PacketLossPlan(probability: p))
    }

    public func apply(_ plan: Planned<PacketLossPlan>, in context: FaultContext) async throws(NemesisError)
        -> FaultStep<PacketLossStarted>
    {
        var netem = "unknown"
        if let first = plan.nodes.first, let remote = context.cluster.remotes[first],
            let probe = try? await context.run(remote, Firewall.netemProbeScript, sudo: false, doing: "probe netem")
        {
            netem = probe.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let errors = await Firewall.add(rules(plan, in: context), in: context)
        return FaultStep(details: PacketLossStarted(probability: plan.details.probability, netem: netem), errors: errors)
    }

    /// Each target's rules: drop from every peer with the plan's probability.
    public func rules(_ plan: Planned<PacketLossPlan>, in context: FaultContext) -> [String: [[String]]] {
        Firewall.byNode(plan.nodes) { node in
            Firewall.hosts(context.nodeNames.filter { $0 != node }, in: context)
                .map { Firewall.lossRule(from: $0, probability: plan.details.probability) }
        }
    }
}

/// A packet-loss plan: the probability that a packet from a peer is dropped (`{"probability":0.3}`).
public struct PacketLossPlan: FaultDetails {
    /// 0...1.
    public var probability: Double

    /// A plan for `probability` (clamped to 0...1).
    public init(probability: Double) {
        self.probability = min(max(probability, 0), 1)
    }

    public init(json: [String: JSONValue]) throws(NemesisError) {
        self.init(probability: try json.field("probability", Self.number))
    }

    public var json: [String: JSONValue] { ["probability": .double(probability)] }

    /// A JSON number as a Double.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }
}

/// What a packet-loss start records: the probability and whether netem exists on the node.
public struct PacketLossStarted: FaultDetails {
    /// 0...1.
    public var probability: Double
    /// `available`, `unavailable` or `unknown`.
    public var netem: String

    /// Details of a start.
    public init(probability: Double, netem: String) {
        self.probability = probability
        self.netem = netem
    }

    public init(json: [String: JSONValue]) throws(NemesisError) {
        probability = try json.field("probability", PacketLossPlan.number)
        netem = json["netem"]?.stringValue ?? "unknown"
    }

    public var json: [String: JSONValue] { ["probability": .double(probability), "netem": .string(netem)] }
}
