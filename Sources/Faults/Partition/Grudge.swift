import Basics
import Histories

/// Who refuses whose packets: for each node, the peers whose traffic it drops.
///
/// A grudge is applied as DROP rules on the *receiving* node (`-s peer -j DROP` in the
/// `SCHISM` chain), as in Jepsen. The constructors are pure: the random ones take the
/// test's generator, so a seed reproduces the partition. Nodes are names; the controller
/// is never part of a grudge, so it can never be cut off.
public struct Grudge: Sendable, Hashable {
    /// For each node that drops anything, the peers it drops (sorted, never itself).
    public private(set) var drops: [String: [String]]

    /// A grudge from explicit sets (self-drops and empty entries are removed).
    public init(drops: [String: Set<String>]) {
        var clean: [String: [String]] = [:]
        for (node, peers) in drops {
            let list = peers.subtracting([node]).sorted()
            if !list.isEmpty { clean[node] = list }
        }
        self.drops = clean
    }

    /// Whether nobody drops anything.
    public var isEmpty: Bool { drops.isEmpty }

    /// The peers `node` drops packets from.
    public func dropped(by node: String) -> [String] { drops[node] ?? [] }

    /// The nodes whose traffic `node` accepts, itself included.
    public func accepted(by node: String, among nodes: [String]) -> Set<String> {
        Set(nodes).subtracting(dropped(by: node))
    }

    /// Whether every drop is mutual (a drops b exactly when b drops a).
    public var isSymmetric: Bool {
        drops.allSatisfy { node, peers in peers.allSatisfy { dropped(by: $0).contains(node) } }
    }

    /// The grudge as JSON, `{"n1":["n4","n5"],...}`, for the history and the journal.
    public var json: JSONValue {
        .object(drops.mapValues { .array($0.map { .string($0) }) })
    }

    /// Parses ``json`` back; nil when the value is not an object of string arrays.
    public init?(json: JSONValue) {
        guard case .object(let object) = json else { return nil }
        var sets: [String: Set<String>] = [:]
        for (node, value) in object {
            guard let items = value.arrayValue else { return nil }
            sets[node] = Set(items.compactMap(\.stringValue))
        }
        self.init(drops: sets)
    }

    // MARK: - Jepsen's grudges

    /// Every node drops every node outside its own component (Jepsen's `complete-grudge`).
    public static func complete(_ components: [[String]]) -> Grudge {
        let all = Set(components.joined())
        var sets: [String: Set<String>] = [:]
        for component in components {
            let outside = all.subtracting(component)
            for node in component { sets[node, default: []].formUnion(outside) }
        }
        return Grudge(drops: sets)
    }

    /// Splits nodes in two at floor(n/2): the smaller half first (Jepsen's `bisect`).
    public static func bisect(_ nodes: [String]) -> [[String]] {
        let cut = nodes.count / 2
        return [Array(nodes[..<cut]), Array(nodes[cut...])]
    }

    /// The first floor(n/2) nodes against the rest, in the order given (`partition-halves`).
    public static func halves(_ nodes: [String]) -> Grudge {
        complete(bisect(nodes))
    }

    /// Two halves of shuffled nodes (`partition-random-halves`).
    public static func randomHalves(_ nodes: [String], using rng: inout some RandomNumberGenerator) -> Grudge {
        halves(Seeded.shuffle(nodes, using: &rng))
    }

    /// One random node against all the others (`partition-random-node`, Jepsen's `split-one`).
    public static func isolateOne(_ nodes: [String], using rng: inout some RandomNumberGenerator) -> Grudge {
        guard let loner = Seeded.pick(nodes, using: &rng) else { return Grudge(drops: [:]) }
        return complete([[loner], nodes.filter { $0 != loner }])
    }

    /// Halves of shuffled nodes, with the second half's first node a bridge seen by both sides.
    ///
    /// Jepsen's `bridge`: the bridge drops nobody and nobody drops it.
    public static func bridge(_ nodes: [String], using rng: inout some RandomNumberGenerator) -> Grudge {
        let parts = bisect(Seeded.shuffle(nodes, using: &rng))
        guard let bridge = parts[1].first else { return Grudge(drops: [:]) }
        var sets = complete(parts).drops.mapValues { Set($0) }
        sets[bridge] = nil
        for node in sets.keys { sets[node]?.remove(bridge) }
        return Grudge(drops: sets)
    }

    /// Every node sees a majority (itself included), but no two nodes see the same one.
    ///
    /// The nodes are shuffled into a ring. When the majority size m = n/2+1 is odd (n = 4,
    /// 5, 8, 9, ...), or n <= 3, this is Jepsen's `majorities-ring-perfect`: the node in the
    /// middle of each window of m consecutive ring nodes sees exactly that window. For odd m
    /// the windows are centred, so the grudge is symmetric; for n = 3 it is one-way (each
    /// node drops its successor: a symmetric split of 3 nodes into distinct majorities does
    /// not exist). When m is even (n = 6, 7, 10, 11, ...) Jepsen turns stochastic for odd n;
    /// Schism instead lets each node see its m/2 neighbours on both sides (m+1 nodes, still a
    /// strict subset), which is symmetric and deterministic for a seed.
    public static func majoritiesRing(_ nodes: [String], using rng: inout some RandomNumberGenerator) -> Grudge {
        let ring = Seeded.shuffle(nodes, using: &rng)
        let n = ring.count
        guard n >= 2 else { return Grudge(drops: [:]) }
        let m = n / 2 + 1
        let all = Set(ring)
        var sets: [String: Set<String>] = [:]
        if m % 2 == 1 || n <= 3 {
            for i in 0..<n {
                let window = (0..<m).map { ring[(i + $0) % n] }
                sets[window[m / 2]] = all.subtracting(window)
            }
        } else {
            let radius = m / 2
            for c in 0..<n {
                let seen = (-radius...radius).map { ring[((c + $0) % n + n) % n] }
                sets[ring[c]] = all.subtracting(seen)
            }
        }
        return Grudge(drops: sets)
    }
}
