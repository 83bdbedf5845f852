import Basics
import SyntheticHistories
import Testing

@testable import Faults

/// Pure tests of the partition grudges: sizes, symmetry, reproducibility, the controller never cut.
@Suite struct GrudgeTests {
    static func names(_ n: Int) -> [String] { (1...n).map { "n\($0)" } }

    @Test(arguments: 2...9)
    func halvesCutIntoFloorAndCeil(n: Int) {
        let nodes = Self.names(n)
        let g = Grudge.halves(nodes)
        let small = Array(nodes[..<(n / 2)])
        let big = Array(nodes[(n / 2)...])
        for node in small { #expect(g.dropped(by: node) == big.sorted()) }
        for node in big { #expect(g.dropped(by: node) == small.sorted()) }
        #expect(g.isSymmetric)
    }

    @Test(arguments: 2...9)
    func randomHalvesAreHalvesOfSomeOrder(n: Int) {
        var rng = SplitMix(seed: UInt64(n) * 77)
        let g = Grudge.randomHalves(Self.names(n), using: &rng)
        #expect(g.isSymmetric)
        let sizes = Self.names(n).map { n - g.dropped(by: $0).count }.sorted()
        // Each node sees its own component: floor(n/2) nodes see floor(n/2), the rest see ceil(n/2).
        #expect(sizes == Array(repeating: n / 2, count: n / 2) + Array(repeating: n - n / 2, count: n - n / 2))
    }

    @Test(arguments: 2...9)
    func isolateOneCutsExactlyOneNode(n: Int) {
        var rng = SplitMix(seed: 5)
        let nodes = Self.names(n)
        let g = Grudge.isolateOne(nodes, using: &rng)
        let loners = nodes.filter { g.dropped(by: $0).count == n - 1 }
        #expect(loners.count == (n == 2 ? 2 : 1))
        #expect(g.isSymmetric)
        for node in nodes where !loners.contains(node) || n == 2 { #expect(g.dropped(by: node).count == 1) }
    }

    @Test(arguments: 3...11)
    func majoritiesRingEveryNodeSeesADistinctMajority(n: Int) {
        var rng = SplitMix(seed: 42)
        let nodes = Self.names(n)
        let g = Grudge.majoritiesRing(nodes, using: &rng)
        let views = nodes.map { g.accepted(by: $0, among: nodes) }
        for view in views {
            #expect(view.count >= n / 2 + 1)
            #expect(view.count < n)
        }
        #expect(Set(views).count == n, "no two nodes see the same majority")
        if n != 3 { #expect(g.isSymmetric) }
        if n == 5 { #expect(views.allSatisfy { $0.count == 3 }) }
    }

    @Test(arguments: 3...9)
    func bridgeSeesBothSides(n: Int) {
        var rng = SplitMix(seed: 9)
        let nodes = Self.names(n)
        let g = Grudge.bridge(nodes, using: &rng)
        let bridges = nodes.filter { g.dropped(by: $0).isEmpty }
        #expect(bridges.count == 1)
        let bridge = bridges[0]
        #expect(nodes.allSatisfy { !g.dropped(by: $0).contains(bridge) })
        #expect(g.isSymmetric)
        // Without the bridge, the others split into floor(n/2) and ceil(n/2)-1.
        let others = nodes.filter { $0 != bridge }
        let sideSizes = Set(others.map { n - 1 - g.dropped(by: $0).count })
        #expect(sideSizes.isSubset(of: [n / 2, n - n / 2 - 1]))
    }

    @Test func sameSeedSameGrudgeDifferentSeedsDiffer() {
        let nodes = Self.names(7)
        for kind in PartitionFamily().kinds {
            var a = SplitMix(seed: 1234)
            var b = SplitMix(seed: 1234)
            let grudge = PartitionFamily.grudge(kind, nodes: nodes, using: &a)
            #expect(grudge != nil)
            #expect(grudge == PartitionFamily.grudge(kind, nodes: nodes, using: &b))
        }
        var seen = Set<Grudge>()
        for seed in 0..<20 {
            var rng = SplitMix(seed: UInt64(seed))
            seen.insert(Grudge.randomHalves(nodes, using: &rng))
        }
        #expect(seen.count > 1)
    }

    @Test func grudgesNeverNameAnythingButNodes() {
        let nodes = Self.names(5)
        for kind in PartitionFamily().kinds {
            for seed in 0..<10 {
                var rng = SplitMix(seed: UInt64(seed))
                let g = PartitionFamily.grudge(kind, nodes: nodes, using: &rng) ?? Grudge(drops: [:])
                let named = Set(g.drops.keys).union(g.drops.values.joined())
                #expect(named.isSubset(of: Set(nodes)))
                #expect(g.drops.allSatisfy { !$0.value.contains($0.key) })
            }
        }
    }

    @Test func controllerIsProtectedBeforeAnyDrop() {
        let script = Firewall.addScript(rules: [Firewall.dropRule(from: "10.77.194.12")], controller: "10.77.194.1")
        let ret = script.range(of: "-s 10.77.194.1 -j RETURN")
        let drop = script.range(of: "-A SCHISM -s 10.77.194.12 -j DROP")
        #expect(ret != nil && drop != nil)
        if let ret, let drop { #expect(ret.lowerBound < drop.lowerBound) }
        #expect(script.contains("-I SCHISM 1 -s 10.77.194.1 -j RETURN"))
        #expect(!script.contains(" -F") && !script.contains("-X"), "adding never flushes or deletes chains")
    }

    @Test func grudgeJSONRoundTrips() {
        var rng = SplitMix(seed: 3)
        let g = Grudge.majoritiesRing(Self.names(5), using: &rng)
        #expect(Grudge(json: g.json) == g)
    }
}
