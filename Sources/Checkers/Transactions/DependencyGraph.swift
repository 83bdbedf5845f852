/// The kinds of dependency edges between transactions, one bit each.
public struct EdgeKind: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// T1 wrote a version, T2 wrote the next one (write dependency).
    public static let ww = EdgeKind(rawValue: 1)
    /// T2 read a version T1 wrote (read dependency).
    public static let wr = EdgeKind(rawValue: 2)
    /// T1 read a version, T2 wrote the next one (anti-dependency).
    public static let rw = EdgeKind(rawValue: 4)
    /// T1 and T2 ran on the same process, T1 first.
    public static let process = EdgeKind(rawValue: 8)
    /// T1 completed before T2 was invoked.
    public static let realtime = EdgeKind(rawValue: 16)

    /// The data dependencies: ww, wr and rw.
    public static let data: EdgeKind = [.ww, .wr, .rw]

    /// `ww`, `wr`, `rw`, `process` or `realtime` (one kind).
    public var name: String {
        switch self {
        case .ww: return "ww"
        case .wr: return "wr"
        case .rw: return "rw"
        case .process: return "process"
        case .realtime: return "realtime"
        default: return "edge"
        }
    }
}

/// Edges gathered in flat arrays, before they become a ``DependencyGraph``.
struct EdgeList {
    var from: [Int32] = []
    var to: [Int32] = []
    var kind: [UInt8] = []
    /// The key that gives a data edge (-1 for process and realtime edges), for prose.
    var key: [Int32] = []

    /// Adds `a → b` of `k` (on `key`); self edges are dropped (a transaction does not depend on itself).
    @inline(__always) mutating func add(_ a: Int, _ b: Int, _ k: EdgeKind, key: Int32 = -1) {
        guard a != b else { return }
        from.append(Int32(a))
        to.append(Int32(b))
        kind.append(k.rawValue)
        self.key.append(key)
    }
}

/// The dependency graph in compressed sparse rows: node `v`'s edges are `start[v] ..< start[v + 1]`.
public struct DependencyGraph: Sendable {
    public let nodeCount: Int
    public private(set) var start: [Int32]
    public private(set) var target: [Int32]
    public private(set) var kind: [UInt8]
    /// The key that gives each data edge, -1 for process and realtime edges.
    public private(set) var key: [Int32]

    /// Builds the rows from `edges` by a counting sort on the source (no per-edge allocation);
    /// duplicate edges (same ends and kind) are kept once.
    init(nodeCount: Int, edges: EdgeList) {
        self.nodeCount = nodeCount
        var start = [Int32](repeating: 0, count: nodeCount + 1)
        for a in edges.from { start[Int(a) + 1] += 1 }
        for i in 0..<nodeCount { start[i + 1] += start[i] }
        var fill = start
        var target = [Int32](repeating: 0, count: edges.from.count)
        var kind = [UInt8](repeating: 0, count: edges.from.count)
        var key = [Int32](repeating: 0, count: edges.from.count)
        for e in 0..<edges.from.count {
            let a = Int(edges.from[e])
            let slot = Int(fill[a])
            fill[a] += 1
            target[slot] = edges.to[e]
            kind[slot] = edges.kind[e]
            key[slot] = edges.key[e]
        }
        // Drop duplicates row by row (rows are short: sort each by (target, kind)).
        var out = 0
        var newStart = [Int32](repeating: 0, count: nodeCount + 1)
        var row: [(Int32, UInt8, Int32)] = []
        for v in 0..<nodeCount {
            row.removeAll(keepingCapacity: true)
            for e in Int(start[v])..<Int(start[v + 1]) { row.append((target[e], kind[e], key[e])) }
            if row.count > 1 { row.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 } }
            var last: (Int32, UInt8)? = nil
            for item in row where last.map({ $0 != (item.0, item.1) }) ?? true {
                target[out] = item.0
                kind[out] = item.1
                key[out] = item.2
                out += 1
                last = (item.0, item.1)
            }
            newStart[v + 1] = Int32(out)
        }
        target.removeLast(target.count - out)
        kind.removeLast(kind.count - out)
        key.removeLast(key.count - out)
        self.start = newStart
        self.target = target
        self.kind = kind
        self.key = key
    }

    /// The number of edges.
    public var edgeCount: Int { target.count }

    /// Strongly connected components of more than one node, using only edges of `mask`
    /// (Tarjan's algorithm, iterative: no recursion, so deep graphs cannot overflow the stack).
    func components(mask: EdgeKind) -> [[Int32]] {
        let n = nodeCount
        let m = mask.rawValue
        var index = [Int32](repeating: -1, count: n)
        var low = [Int32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int32] = []
        var call: [(node: Int32, edge: Int32)] = []
        var counter: Int32 = 0
        var out: [[Int32]] = []
        for root in 0..<n where index[root] < 0 {
            call.append((Int32(root), start[root]))
            index[root] = counter
            low[root] = counter
            counter += 1
            stack.append(Int32(root))
            onStack[root] = true
            while let top = call.last {
                let v = Int(top.node)
                var e = Int(top.edge)
                let end = Int(start[v + 1])
                var descended = false
                while e < end {
                    let w = Int(target[e])
                    let k = kind[e]
                    e += 1
                    guard k & m != 0 else { continue }
                    if index[w] < 0 {
                        call[call.count - 1].edge = Int32(e)
                        index[w] = counter
                        low[w] = counter
                        counter += 1
                        stack.append(Int32(w))
                        onStack[w] = true
                        call.append((Int32(w), start[w]))
                        descended = true
                        break
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                }
                if descended { continue }
                call.removeLast()
                if let parent = call.last {
                    let p = Int(parent.node)
                    low[p] = min(low[p], low[v])
                }
                if low[v] == index[v] {
                    var comp: [Int32] = []
                    while let w = stack.popLast() {
                        onStack[Int(w)] = false
                        comp.append(w)
                        if Int(w) == v { break }
                    }
                    if comp.count > 1 { out.append(comp.reversed()) }
                }
            }
        }
        return out
    }
}
