import Basics

/// What one fault will do, decided before anything runs: its kind, targets and its family's details.
///
/// A family's `plan` is pure, so a seed reproduces the plan; the controller then applies it and
/// records what actually happened. Build one by hand with the family's own details type:
/// `FaultPlan(kind: "clock-bump", nodes: ["n2"], details: ClockPlan(deltaMilliseconds: 2_500))`.
public struct FaultPlan: Sendable, Hashable {
    /// The specific kind, e.g. `partition-one`.
    public var kind: String
    /// The nodes the fault acts on (for partitions: every node with a DROP rule).
    public var nodes: [String]
    /// The family's details as JSON (its `Plan` type's ``FaultDetails/json``).
    public var details: [String: JSONValue]

    /// A plan with a family's typed details.
    public init(kind: String, nodes: [String], details: some FaultDetails = NoDetails()) {
        self.kind = kind
        self.nodes = nodes
        self.details = details.json
    }
}

/// Which nodes a fault hits, chosen at random with the test's generator (as in Jepsen).
public enum TargetSpec: String, Sendable, Hashable, CaseIterable, Codable {
    /// One random node.
    case one
    /// A random minority: (n-1)/2 nodes, at least one.
    case minority
    /// A random majority: n/2+1 nodes.
    case majority
    /// Every node.
    case all

    /// How many of `count` nodes this spec selects.
    public func size(of count: Int) -> Int {
        guard count > 0 else { return 0 }
        switch self {
        case .one: return 1
        case .minority: return max(1, (count - 1) / 2)
        case .majority: return min(count, count / 2 + 1)
        case .all: return count
        }
    }

    /// Picks the nodes, in their original order.
    public func pick(_ nodes: [String], using rng: inout some RandomNumberGenerator) -> [String] {
        let n = size(of: nodes.count)
        let chosen = Set(Seeded.shuffle(nodes, using: &rng).prefix(n))
        return nodes.filter { chosen.contains($0) }
    }

    /// Draws one of `specs` (`one` when empty), then picks its nodes.
    public static func draw(_ specs: [TargetSpec], from nodes: [String], using rng: inout some RandomNumberGenerator) -> [String] {
        let spec = Seeded.pick(specs, using: &rng) ?? .one
        return spec.pick(nodes, using: &rng)
    }
}
