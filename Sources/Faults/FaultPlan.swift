import Basics
import SyntheticHistories

/// What one fault will do, decided before anything runs: its kind, targets and sizes.
///
/// ``FaultPlan/make(_:nodes:options:using:)`` is pure, so a seed reproduces the plan; the
/// controller then applies it and records what actually happened.
public struct FaultPlan: Sendable, Hashable {
    /// The fault.
    public var kind: FaultKind
    /// The nodes the fault acts on (for partitions: every node with a DROP rule).
    public var nodes: [String]
    /// For partitions: who drops whom.
    public var grudge: Grudge?
    /// For clock faults: the offset in milliseconds (the strobe's swing for a strobe).
    public var clockDeltaMilliseconds: Int?
    /// For strobes: milliseconds between flips, and the total duration.
    public var strobePeriodMilliseconds: Int?
    public var strobeDurationMilliseconds: Int?
    /// For packet loss: the probability that a packet from a peer is dropped.
    public var lossProbability: Double?

    /// A plan with explicit values (tests, or a runner replaying a recorded fault).
    public init(
        kind: FaultKind, nodes: [String], grudge: Grudge? = nil, clockDeltaMilliseconds: Int? = nil,
        strobePeriodMilliseconds: Int? = nil, strobeDurationMilliseconds: Int? = nil, lossProbability: Double? = nil
    ) {
        self.kind = kind
        self.nodes = nodes
        self.grudge = grudge
        self.clockDeltaMilliseconds = clockDeltaMilliseconds
        self.strobePeriodMilliseconds = strobePeriodMilliseconds
        self.strobeDurationMilliseconds = strobeDurationMilliseconds
        self.lossProbability = lossProbability
    }

    /// Draws targets and sizes for `kind` over `nodes` (in nodes-file order).
    public static func make(
        _ kind: FaultKind, nodes: [String], options: NemesisOptions, using rng: inout some RandomNumberGenerator
    ) -> FaultPlan {
        func targets(_ specs: [TargetSpec]) -> [String] {
            let spec = Seeded.pick(specs, using: &rng) ?? .one
            return spec.pick(nodes, using: &rng)
        }
        func signed(_ range: ClosedRange<Int>) -> Int {
            let magnitude = Seeded.uniform(&rng, in: range)
            return Seeded.uniform(&rng, below: 2) == 0 ? magnitude : -magnitude
        }
        switch kind {
        case .partitionHalves, .partitionRandomHalves, .partitionOne, .partitionMajoritiesRing, .partitionBridge:
            let grudge = Grudge.forKind(kind, nodes: nodes, using: &rng) ?? Grudge(drops: [:])
            return FaultPlan(kind: kind, nodes: nodes.filter { !grudge.dropped(by: $0).isEmpty }, grudge: grudge)
        case .kill:
            return FaultPlan(kind: kind, nodes: targets(options.killTargets))
        case .pause:
            return FaultPlan(kind: kind, nodes: targets(options.pauseTargets))
        case .clockBump:
            let picked = targets(options.clockTargets)
            return FaultPlan(kind: kind, nodes: picked, clockDeltaMilliseconds: signed(options.clockBumpMilliseconds))
        case .clockStrobe:
            let picked = targets(options.clockTargets)
            return FaultPlan(
                kind: kind, nodes: picked, clockDeltaMilliseconds: signed(options.clockStrobeMilliseconds),
                strobePeriodMilliseconds: max(1, options.clockStrobePeriodMilliseconds),
                strobeDurationMilliseconds: max(0, options.clockStrobeDurationMilliseconds))
        case .packetLoss:
            let picked = targets(options.packetLossTargets)
            let p = Seeded.pick(options.packetLossProbabilities, using: &rng) ?? 0.1
            return FaultPlan(kind: kind, nodes: picked, lossProbability: min(max(p, 0), 1))
        }
    }
}
