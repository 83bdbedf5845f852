import Basics
import SyntheticHistories

/// A fault Schism can inject, each with its undo (see docs/nemeses.md).
public enum FaultKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Cut the cluster into two fixed halves (the smaller first, in node order).
    case partitionHalves = "partition-halves"
    /// Cut the cluster into two halves chosen at random.
    case partitionRandomHalves = "partition-random-halves"
    /// Isolate one random node from all others.
    case partitionOne = "partition-one"
    /// Every node sees a majority, but no two nodes see the same majority.
    case partitionMajoritiesRing = "partition-majorities-ring"
    /// Two halves joined by one bridge node that sees both.
    case partitionBridge = "partition-bridge"
    /// Kill the server on some nodes (SIGKILL); the undo starts it again.
    case kill
    /// Pause the server on some nodes (SIGSTOP); the undo resumes it (SIGCONT).
    case pause
    /// Jump some nodes' clocks by a random number of milliseconds; the undo resets them.
    case clockBump = "clock-bump"
    /// Flip some nodes' clocks back and forth for a while; the undo resets them.
    case clockStrobe = "clock-strobe"
    /// Drop a random share of the packets nodes receive from their peers.
    case packetLoss = "packet-loss"

    /// The family, which names the history's `start-…`/`stop-…` operations.
    public var family: FaultFamily {
        switch self {
        case .partitionHalves, .partitionRandomHalves, .partitionOne, .partitionMajoritiesRing, .partitionBridge:
            return .partition
        case .kill: return .kill
        case .pause: return .pause
        case .clockBump, .clockStrobe: return .clock
        case .packetLoss: return .packetLoss
        }
    }

    /// Whether this kind is a network partition.
    public var isPartition: Bool { family == .partition }

    /// Parses a kind name, accepting the family names `partition` (random halves) and `clock` (bump).
    public init?(name: String) {
        switch name {
        case "partition": self = .partitionRandomHalves
        case "clock": self = .clockBump
        default:
            guard let kind = FaultKind(rawValue: name) else { return nil }
            self = kind
        }
    }
}

/// A group of faults that share history operation names and undo.
public enum FaultFamily: String, Sendable, Hashable, CaseIterable, Codable {
    case partition
    case kill
    case pause
    case clock
    case packetLoss = "packet-loss"

    /// The `f` of the history operation that records a fault of this family starting.
    public var startF: String { "start-\(rawValue)" }
    /// The `f` of the history operation that records its undo.
    public var stopF: String { "stop-\(rawValue)" }
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
}
