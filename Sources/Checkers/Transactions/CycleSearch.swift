/// A cycle of dependencies: `nodes[i] → nodes[i + 1]` (and the last back to the first) by `kinds[i]`.
public struct DependencyCycle: Sendable, Equatable {
    /// Transaction ids, in order.
    public var nodes: [Int]
    /// The kind of each edge: `kinds[i]` leads from `nodes[i]` to the next node.
    public var kinds: [EdgeKind]
    /// The key that gives each data edge (-1 for process and realtime edges).
    public var keys: [Int32]
}

/// What a cycle must look like to witness one anomaly class (Elle's cycle specifications).
struct CycleSpec: Sendable {
    /// How many rw edges the cycle has.
    enum RWRule: Sendable {
        case none, exactlyOne, atLeastTwo
    }

    /// The anomaly's name, e.g. `G-single-item-realtime`.
    var name: String
    /// The edge kinds the cycle may use.
    var allowed: EdgeKind
    var rw: RWRule
    /// The cycle needs at least one wr edge (G1c: otherwise it would be G0).
    var needsWR: Bool
    /// The cycle needs at least one edge of this kind (process or realtime variants); empty: none.
    var variant: EdgeKind

    /// G0, G1c, G-single-item and G2-item, with the `variant` edges (process or realtime) allowed and required.
    static func all(variant: EdgeKind) -> [CycleSpec] {
        let suffix = variant.isEmpty ? "" : "-" + variant.name
        return [
            CycleSpec(name: "G0" + suffix, allowed: EdgeKind.ww.union(variant), rw: .none, needsWR: false, variant: variant),
            CycleSpec(name: "G1c" + suffix, allowed: EdgeKind([.ww, .wr]).union(variant), rw: .none, needsWR: true, variant: variant),
            CycleSpec(name: "G-single-item" + suffix, allowed: EdgeKind.data.union(variant), rw: .exactlyOne, needsWR: false, variant: variant),
            CycleSpec(name: "G2-item" + suffix, allowed: EdgeKind.data.union(variant), rw: .atLeastTwo, needsWR: false, variant: variant),
        ]
    }
}

/// Shortest-cycle search inside one strongly connected component, by breadth-first search over
/// (transaction, rw edges so far, required kinds seen) with bounded work.
struct CycleSearch {
    let graph: DependencyGraph
    /// Work (edge visits) allowed per component and anomaly class after the first search, which
    /// always runs to its end (it is linear in the component's size).
    var budget: Int

    /// The result of one search: the shortest cycle found, and whether the budget cut it short.
    struct Found {
        var cycle: DependencyCycle?
        /// The search stopped before trying every start: a cycle may exist that it did not find.
        var exhausted: Bool
    }

    /// Searches `component` for the shortest cycle that `spec` accepts.
    func search(_ spec: CycleSpec, in component: [Int32], local: inout [Int32]) -> Found {
        let size = component.count
        for (i, v) in component.enumerated() { local[Int(v)] = Int32(i) }
        defer { for v in component { local[Int(v)] = -1 } }
        let statesPerNode = 12
        let stateCount = size * statesPerNode
        var seen = [Int32](repeating: 0, count: stateCount)
        var parent = [Int32](repeating: -1, count: stateCount)
        var parentEdge = [Int32](repeating: -1, count: stateCount)
        var queue = [Int32](repeating: 0, count: stateCount)
        let allowed = spec.allowed.rawValue
        let rwBit = EdgeKind.rw.rawValue
        let wrBit = EdgeKind.wr.rawValue
        let variantBit = spec.variant.rawValue
        let needed: Int = (spec.needsWR ? 1 : 0) | (spec.variant.isEmpty ? 0 : 2)
        var best: (length: Int, end: Int32, lastEdge: Int32, startNode: Int)? = nil
        var steps = 0
        var generation: Int32 = 0
        var exhausted = false
        var cycleFound: DependencyCycle? = nil
        var onPath = [Int32](repeating: 0, count: size)
        var pathMark: Int32 = 0
        for (si, s) in component.enumerated() {
            if si > 0 && steps >= budget {
                exhausted = true
                break
            }
            if let b = best, b.length <= 2 { break }
            generation += 1
            var head = 0
            var tail = 0
            let s0 = Int32(si * statesPerNode)
            seen[Int(s0)] = generation
            parent[Int(s0)] = -1
            queue[tail] = s0
            tail += 1
            var depth = 0
            var levelEnd = tail
            search: while head < tail {
                if head == levelEnd {
                    depth += 1
                    levelEnd = tail
                }
                if let b = best, depth + 1 >= b.length { break }
                let state = Int(queue[head])
                head += 1
                let node = Int(component[state / statesPerNode])
                let rwc = (state % statesPerNode) / 4
                let req = state % 4
                for e in Int(graph.start[node])..<Int(graph.start[node + 1]) {
                    steps += 1
                    let k = graph.kind[e]
                    guard k & allowed != 0 else { continue }
                    let w = Int(graph.target[e])
                    let lw = Int(local[w])
                    guard lw >= 0 else { continue }
                    var nrw = rwc + (k & rwBit != 0 ? 1 : 0)
                    if nrw > 2 { nrw = 2 }
                    if spec.rw == .exactlyOne && nrw > 1 { continue }
                    let nreq = req | (k & wrBit != 0 ? 1 : 0) | (k & variantBit != 0 ? 2 : 0)
                    if lw == si {
                        let rwOK: Bool
                        switch spec.rw {
                        case .none: rwOK = nrw == 0
                        case .exactlyOne: rwOK = nrw == 1
                        case .atLeastTwo: rwOK = nrw == 2
                        }
                        if rwOK && nreq & needed == needed {
                            // The search runs over (node, counts) states, so a walk may pass a
                            // node twice; only a simple cycle is a witness (a walk such as
                            // T0 → T1 → T2 → T1 → T0 is two smaller cycles, found on their own).
                            pathMark += 1
                            var simple = true
                            var st = state
                            while st >= 0 {
                                let at = st / statesPerNode
                                if onPath[at] == pathMark {
                                    simple = false
                                    break
                                }
                                onPath[at] = pathMark
                                st = Int(parent[st])
                            }
                            guard simple else { continue }
                            best = (depth + 1, Int32(state), Int32(e), Int(s))
                            break search
                        }
                        continue
                    }
                    let ns = lw * statesPerNode + nrw * 4 + nreq
                    guard seen[ns] != generation else { continue }
                    seen[ns] = generation
                    parent[ns] = Int32(state)
                    parentEdge[ns] = Int32(e)
                    queue[tail] = Int32(ns)
                    tail += 1
                }
            }
            if let b = best, b.startNode == Int(s) {
                // Rebuild this start's cycle now, while its parents are current.
                var nodes: [Int] = []
                var edges: [Int] = [Int(b.lastEdge)]
                var st = Int(b.end)
                while st >= 0 {
                    nodes.append(Int(component[st / statesPerNode]))
                    let p = parent[st]
                    if p >= 0 { edges.append(Int(parentEdge[st])) }
                    st = Int(p)
                }
                nodes.reverse()
                edges.reverse()
                cycleFound = DependencyCycle(
                    nodes: nodes, kinds: edges.map { EdgeKind(rawValue: graph.kind[$0]) }, keys: edges.map { graph.key[$0] })
            }
        }
        return Found(cycle: cycleFound, exhausted: exhausted && cycleFound == nil)
    }
}
