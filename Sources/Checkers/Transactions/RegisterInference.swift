/// The rw-register inference: version orders per key from the initial state (null comes first)
/// and writes that follow reads in one transaction; the checks before any graph (internal, G1a,
/// G1b, garbage reads, cyclic versions, lost updates); and the ww, wr and rw edges.
struct RegisterInference {
    let h: TxnHistory
    var mopTxn: [Int32] = []
    /// (key, value) → the write that wrote it.
    var writer: [KeyValue: Int32] = [:]
    /// (key, value or null) → the transactions whose external read of the key saw it.
    var readers: [KeyValue: [Int32]] = [:]
    /// Version order pairs: (key, earlier value or null, later value), deduplicated.
    var versions: [(key: Int32, from: Int64, to: Int64)] = []

    init(_ h: TxnHistory) {
        self.h = h
    }

    mutating func run(_ log: inout AnomalyLog, _ edges: inout EdgeList) throws(TxnHistoryError) {
        mopTxn = [Int32](repeating: 0, count: h.mopFn.count)
        for t in 0..<h.count {
            for m in h.mops(t) {
                mopTxn[m] = Int32(t)
                guard h.mopFn[m] == .write else { continue }
                let kv = KeyValue(key: h.mopKey[m], value: h.mopValue[m])
                if let other = writer.updateValue(Int32(m), forKey: kv) {
                    let o = Int(mopTxn[Int(other)])
                    throw TxnHistoryError(
                        index: Int(h.invokeIndex[t]),
                        message: "value \(kv.value) is written to key \(h.keyText(kv.key)) twice (operations \(h.invokeIndex[o]) and \(h.invokeIndex[t])); "
                            + "rw-register needs every written value unique per key")
                }
            }
        }
        var lost: [KeyValue: [Int32]] = [:]
        var observed = Set<KeyValue>()
        for t in 0..<h.count where h.status[t] == .ok {
            let range = h.mops(t)
            for m in range {
                let k = h.mopKey[m]
                let previous = (range.lowerBound..<m).last { h.mopKey[$0] == k }
                if h.mopFn[m] == .read {
                    let v = h.mopValue[m]
                    if let p = previous {
                        let expected = h.mopValue[p]
                        if expected != v {
                            log.add("internal") {
                                TxnAnomaly(kind: "internal", transactions: [t], cycle: nil,
                                           prose: "\(h.text(t))\nAfter \(h.mopText(p)) the transaction should read key \(h.keyText(k)) = \(expected == TxnHistory.nullValue ? "nil" : String(expected)), but \(h.mopText(m)) read \(v == TxnHistory.nullValue ? "nil" : String(v)).")
                            }
                        }
                        continue
                    }
                    // An external read.
                    let kv = KeyValue(key: k, value: v)
                    readers[kv, default: []].append(Int32(t))
                    if v != TxnHistory.nullValue {
                        observed.insert(kv)
                        checkRead(t, m, &log)
                    }
                    if let lastWrite = range.last(where: { $0 > m && h.mopKey[$0] == k && h.mopFn[$0] == .write }) {
                        versions.append((k, v, h.mopValue[lastWrite]))
                        lost[kv, default: []].append(Int32(t))
                    }
                }
            }
        }
        for (kv, txns) in lost where txns.count > 1 {
            log.add("lost-update") {
                TxnAnomaly(kind: "lost-update", transactions: txns.map(Int.init), cycle: nil,
                           prose: "\(txns.count) committed transactions read key \(h.keyText(kv.key)) = \(kv.value == TxnHistory.nullValue ? "nil" : String(kv.value)) and then wrote it; "
                            + "each one's update was lost to the others':\n" + txns.prefix(8).map { h.text(Int($0)) }.joined(separator: "\n"))
            }
        }
        versions.sort { ($0.key, $0.from, $0.to) < ($1.key, $1.from, $1.to) }
        var unique: [(key: Int32, from: Int64, to: Int64)] = []
        for p in versions where unique.last.map({ $0 != p }) ?? true { unique.append(p) }
        versions = unique
        checkCycles(&log)
        addEdges(observed: observed, &edges)
    }

    /// G1a, G1b and garbage reads of read `m` (of a value, not null) in transaction `t`.
    private func checkRead(_ t: Int, _ m: Int, _ log: inout AnomalyLog) {
        let k = h.mopKey[m]
        let v = h.mopValue[m]
        guard let wm = writer[KeyValue(key: k, value: v)] else {
            log.add("garbage-read") {
                TxnAnomaly(kind: "garbage-read", transactions: [t], cycle: nil,
                           prose: "\(h.text(t))\n\(h.mopText(m)) read \(v), but no transaction wrote \(v) to key \(h.keyText(k)).")
            }
            return
        }
        let w = Int(mopTxn[Int(wm)])
        if h.status[w] == .fail {
            log.add("G1a") {
                TxnAnomaly(kind: "G1a", transactions: [w, t], cycle: nil,
                           prose: "\(h.text(t))\nread \(v) from key \(h.keyText(k)), but \(v) was written by a transaction that failed (aborted):\n\(h.text(w))")
            }
        } else if w != t, let later = (Int(wm) + 1..<h.mops(w).upperBound).first(where: { h.mopKey[$0] == k && h.mopFn[$0] == .write }) {
            log.add("G1b") {
                TxnAnomaly(kind: "G1b", transactions: [w, t], cycle: nil,
                           prose: "\(h.text(t))\nread key \(h.keyText(k)) = \(v), an intermediate state: its writer wrote \(h.mopValue[later]) after it in the same transaction:\n\(h.text(w))")
            }
        }
    }

    /// A key whose inferred version order has a cycle (v1 < v2 < ... < v1).
    private func checkCycles(_ log: inout AnomalyLog) {
        var i = 0
        while i < versions.count {
            var j = i
            while j < versions.count && versions[j].key == versions[i].key { j += 1 }
            // Kahn's algorithm on this key's pairs.
            var indegree: [Int64: Int] = [:]
            var out: [Int64: [Int64]] = [:]
            for p in versions[i..<j] {
                indegree[p.to, default: 0] += 1
                if indegree[p.from] == nil { indegree[p.from] = 0 }
                out[p.from, default: []].append(p.to)
            }
            var ready = indegree.filter { $0.value == 0 }.map(\.key)
            var done = 0
            while let v = ready.popLast() {
                done += 1
                for w in out[v] ?? [] {
                    indegree[w, default: 0] -= 1
                    if indegree[w] == 0 { ready.append(w) }
                }
            }
            if done < indegree.count {
                let k = versions[i].key
                let stuck = indegree.filter { $0.value > 0 }.map(\.key).sorted().prefix(12)
                log.add("cyclic-versions") {
                    TxnAnomaly(kind: "cyclic-versions", transactions: [], cycle: nil,
                               prose: "Key \(h.keyText(k))'s versions, ordered by transactions that read one and then wrote the next, form a cycle among "
                                + stuck.map(String.init).joined(separator: ", ") + ": no version order explains them.")
                }
            }
            i = j
        }
    }

    /// ww and rw edges from version pairs (null precedes every value with no known predecessor), wr from reads.
    private func addEdges(observed: Set<KeyValue>, _ edges: inout EdgeList) {
        func committedWriter(_ k: Int32, _ v: Int64) -> Int? {
            guard v != TxnHistory.nullValue, let wm = writer[KeyValue(key: k, value: v)] else { return nil }
            let w = Int(mopTxn[Int(wm)])
            switch h.status[w] {
            case .ok: return w
            case .info: return observed.contains(KeyValue(key: k, value: v)) ? w : nil
            case .fail: return nil
            }
        }
        var hasPredecessor = Set<KeyValue>()
        for p in versions where p.from != TxnHistory.nullValue { hasPredecessor.insert(KeyValue(key: p.key, value: p.to)) }
        var pairs = versions
        for (kv, wm) in writer where !hasPredecessor.contains(kv) {
            let w = Int(mopTxn[Int(wm)])
            if h.status[w] == .ok || (h.status[w] == .info && observed.contains(kv)) {
                pairs.append((kv.key, TxnHistory.nullValue, kv.value))
            }
        }
        for p in pairs {
            guard let b = committedWriter(p.key, p.to) else { continue }
            if let a = committedWriter(p.key, p.from) { edges.add(a, b, .ww, key: p.key) }
            for r in readers[KeyValue(key: p.key, value: p.from)] ?? [] { edges.add(Int(r), b, .rw, key: p.key) }
        }
        for (kv, rs) in readers where kv.value != TxnHistory.nullValue {
            guard let w = writer[kv].map({ Int(mopTxn[Int($0)]) }), h.status[w] != .fail else { continue }
            for r in rs { edges.add(w, Int(r), .wr, key: kv.key) }
        }
    }

    /// How an edge on `key` from `a` to `b` follows from the history, for prose.
    func explain(_ a: Int, _ b: Int, _ kind: EdgeKind, key: Int32) -> String {
        let k = h.keyText(key)
        func writes(_ t: Int) -> String { h.mops(t).filter { h.mopKey[$0] == key && h.mopFn[$0] == .write }.map { String(h.mopValue[$0]) }.joined(separator: ", ") }
        func read(_ t: Int) -> String { h.mops(t).first { h.mopKey[$0] == key && h.mopFn[$0] == .read }.map { h.mopText($0) } ?? "key \(k)" }
        switch kind {
        case .ww:
            return "T\(a) wrote \(writes(a)) to key \(k); a transaction read that version and then wrote \(writes(b)), which T\(b) wrote, so T\(a)'s version precedes T\(b)'s: T\(a) < T\(b) (ww)."
        case .wr:
            return "T\(b) read \(read(b)), the value T\(a) wrote, so T\(a) < T\(b) (wr)."
        case .rw:
            return "T\(a) read \(read(a)); T\(b) wrote \(writes(b)) to key \(k), a later version (the initial nil precedes every write; a read followed by a write in one transaction orders the two), so T\(a) < T\(b) (rw)."
        default:
            return ""
        }
    }
}
