/// A value written to a key: the pair that identifies a write in histories with unique values.
struct KeyValue: Hashable {
    var key: Int32
    var value: Int64
}

/// The list-append inference: per-key version orders from the longest read, the checks that
/// come before any graph (internal, future-read, G1a, G1b, garbage reads, duplicate elements,
/// incompatible orders, dirty updates, lost updates), and the ww, wr and rw edges.
struct ListAppendInference {
    let h: TxnHistory
    /// Micro-operation → its transaction.
    var mopTxn: [Int32] = []
    /// (key, value) → the append that wrote it.
    var writer: [KeyValue: Int32] = [:]
    /// Per key, the longest list read (a read micro-operation), -1 for none: the version order.
    var longest: [Int32] = []
    /// Reads that are not a prefix of their key's version order.
    var incompatible = Set<Int32>()
    /// External reads (a transaction's first read of a key): the read and how many of its
    /// elements came from other transactions (its own earlier appends stripped).
    var extReads: [(mop: Int32, length: Int32)] = []
    /// Per key, `orderStart[k] ..< orderStart[k + 1]` index ``orderWriter`` and ``orderIntermediate``
    /// by position in the key's version order.
    var orderStart: [Int32] = []
    /// The transaction that appended each element of each version order, -1 when none did.
    var orderWriter: [Int32] = []
    /// Whether each element is not its writer's last append to the key (reading it is G1b).
    var orderIntermediate: [Bool] = []
    /// Per key, the first position holding an element appended by a failed transaction, by no
    /// transaction, or already seen earlier in the order (`Int32.max`: none). A read of a
    /// compatible prefix of length n holds such an element exactly when n is past it.
    var firstFailed: [Int32] = []
    var firstGarbage: [Int32] = []
    var firstDuplicate: [Int32] = []
    /// Appends (by micro-operation) that some version order holds.
    var observed: [Bool] = []

    init(_ h: TxnHistory) {
        self.h = h
    }

    /// Runs the checks into `log` and returns the data edges; throws when a value is appended twice.
    mutating func run(_ log: inout AnomalyLog, _ edges: inout EdgeList) throws(TxnHistoryError) {
        let mopCount = h.mopFn.count
        mopTxn = [Int32](repeating: 0, count: mopCount)
        writer.reserveCapacity(mopCount / 2)
        for t in 0..<h.count {
            for m in h.mops(t) {
                mopTxn[m] = Int32(t)
                guard h.mopFn[m] == .append else { continue }
                let kv = KeyValue(key: h.mopKey[m], value: h.mopValue[m])
                if let other = writer.updateValue(Int32(m), forKey: kv) {
                    let o = Int(mopTxn[Int(other)])
                    throw TxnHistoryError(
                        index: Int(h.invokeIndex[t]),
                        message: "value \(kv.value) is appended to key \(h.keyText(kv.key)) twice (operations \(h.invokeIndex[o]) and \(h.invokeIndex[t])); "
                            + "list-append needs every appended value unique per key")
                }
            }
        }
        longest = [Int32](repeating: -1, count: h.keyNames.count)
        for m in 0..<mopCount where h.mopFn[m] == .read && h.readKnown(m) && h.status[Int(mopTxn[m])] == .ok {
            let k = Int(h.mopKey[m])
            if longest[k] < 0 || h.mopReadLength[m] > h.mopReadLength[Int(longest[k])] { longest[k] = Int32(m) }
        }
        indexOrders()
        checkOrders(&log)
        for t in 0..<h.count where h.status[t] == .ok {
            checkTransaction(t, &log)
        }
        addEdges(&log, &edges)
    }

    /// The transaction that wrote `v` to key `k`, if any.
    @inline(__always) func writerTxn(_ k: Int32, _ v: Int64) -> Int? {
        writer[KeyValue(key: k, value: v)].map { Int(mopTxn[Int($0)]) }
    }

    /// Internal consistency, future reads, and the reads' own checks (G1a, G1b, garbage, duplicates).
    private mutating func checkTransaction(_ t: Int, _ log: inout AnomalyLog) {
        let range = h.mops(t)
        for m in range where h.mopFn[m] == .read && h.readKnown(m) {
            let k = h.mopKey[m]
            let xs = h.list(m)
            // What this transaction did to k before this read.
            var prior: Int? = nil  // an earlier read of k
            var ownAppends: [Int64] = []
            for p in range.lowerBound..<m where h.mopKey[p] == k {
                if h.mopFn[p] == .read {
                    prior = p
                    ownAppends.removeAll()
                } else {
                    ownAppends.append(h.mopValue[p])
                }
            }
            // future read: it saw a value it appends later.
            if let later = (m + 1..<range.upperBound).first(where: { h.mopKey[$0] == k && h.mopFn[$0] == .append && xs.contains(h.mopValue[$0]) }) {
                log.add("future-read") {
                    TxnAnomaly(
                        kind: "future-read", transactions: [t], cycle: nil,
                        prose: "\(h.text(t))\n\(h.mopText(m)) read \(h.mopValue[later]) from key \(h.keyText(k)), which the same transaction "
                            + "appends only later (\(h.mopText(later))): it saw its own future write.")
                }
                continue
            }
            var internalOK = true
            if let prior, h.readKnown(prior) {
                let expected = Array(h.list(prior)) + ownAppends
                internalOK = Array(xs) == expected
                if !internalOK {
                    log.add("internal") {
                        TxnAnomaly(
                            kind: "internal", transactions: [t], cycle: nil,
                            prose: "\(h.text(t))\nAfter \(h.mopText(prior))"
                                + (ownAppends.isEmpty ? "" : " and its own appends of \(ownAppends.map(String.init).joined(separator: ", "))")
                                + ", the transaction should read key \(h.keyText(k)) = \(h.listText(expected[...])), but \(h.mopText(m)) read \(h.listText(xs)).")
                    }
                }
            } else if !ownAppends.isEmpty {
                internalOK = xs.count >= ownAppends.count && Array(xs.suffix(ownAppends.count)) == ownAppends
                if !internalOK {
                    log.add("internal") {
                        TxnAnomaly(
                            kind: "internal", transactions: [t], cycle: nil,
                            prose: "\(h.text(t))\nThe transaction appended \(ownAppends.map(String.init).joined(separator: ", ")) to key \(h.keyText(k)), "
                                + "so its read \(h.mopText(m)) should end with them.")
                    }
                }
            }
            if prior == nil && internalOK {
                extReads.append((Int32(m), Int32(xs.count - ownAppends.count)))
            }
            checkElements(t, m, &log)
        }
    }

    /// Resolves every version order's elements to their writers once, so that the reads, all
    /// prefixes of these orders, are checked by position instead of element by element.
    private mutating func indexOrders() {
        let keyCount = h.keyNames.count
        orderStart = [Int32](repeating: 0, count: keyCount + 1)
        firstFailed = [Int32](repeating: Int32.max, count: keyCount)
        firstGarbage = firstFailed
        firstDuplicate = firstFailed
        observed = [Bool](repeating: false, count: h.mopFn.count)
        var seen = Set<Int64>()
        for k in 0..<keyCount {
            orderStart[k] = Int32(orderWriter.count)
            guard longest[k] >= 0 else { continue }
            let xs = h.list(Int(longest[k]))
            seen.removeAll(keepingCapacity: true)
            for (i, x) in xs.enumerated() {
                if !seen.insert(x).inserted && firstDuplicate[k] == Int32.max { firstDuplicate[k] = Int32(i) }
                guard let wm = writer[KeyValue(key: Int32(k), value: x)] else {
                    if firstGarbage[k] == Int32.max { firstGarbage[k] = Int32(i) }
                    orderWriter.append(-1)
                    orderIntermediate.append(false)
                    continue
                }
                observed[Int(wm)] = true
                let w = Int(mopTxn[Int(wm)])
                if h.status[w] == .fail && firstFailed[k] == Int32.max { firstFailed[k] = Int32(i) }
                orderWriter.append(Int32(w))
                orderIntermediate.append((Int(wm) + 1..<h.mops(w).upperBound).contains { h.mopKey[$0] == Int32(k) && h.mopFn[$0] == .append })
            }
        }
        orderStart[keyCount] = Int32(orderWriter.count)
    }

    /// G1a, G1b, garbage reads and duplicate elements of read `m` of transaction `t`: by position
    /// for a prefix of the key's version order, element by element for an incompatible read.
    private func checkElements(_ t: Int, _ m: Int, _ log: inout AnomalyLog) {
        if incompatible.isEmpty || !incompatible.contains(Int32(m)) {
            let k = Int(h.mopKey[m])
            let n = h.mopReadLength[m]
            guard n > 0 else { return }
            let base = Int(orderStart[k])
            let order = h.list(Int(longest[k]))
            if n > firstDuplicate[k] {
                let x = order[order.startIndex + Int(firstDuplicate[k])]
                log.add("duplicate-elements") {
                    TxnAnomaly(kind: "duplicate-elements", transactions: [t], cycle: nil,
                               prose: "\(h.text(t))\n\(h.mopText(m)) holds \(x) more than once, but it was appended once.")
                }
            }
            if n > firstGarbage[k] {
                let x = order[order.startIndex + Int(firstGarbage[k])]
                log.add("garbage-read") {
                    TxnAnomaly(kind: "garbage-read", transactions: [t], cycle: nil,
                               prose: "\(h.text(t))\n\(h.mopText(m)) holds \(x), but no transaction appended \(x) to key \(h.keyText(Int32(k))).")
                }
            }
            if n > firstFailed[k] {
                let i = Int(firstFailed[k])
                let x = order[order.startIndex + i]
                let w = Int(orderWriter[base + i])
                log.add("G1a") {
                    TxnAnomaly(kind: "G1a", transactions: [w, t], cycle: nil,
                               prose: "\(h.text(t))\nread \(x) from key \(h.keyText(Int32(k))) (\(h.mopText(m))), but \(x) was appended by a transaction that failed (aborted):\n\(h.text(w))")
                }
            }
            let last = base + Int(n) - 1
            let w = Int(orderWriter[last])
            if w >= 0 && w != t && orderIntermediate[last] {
                let x = order[order.startIndex + Int(n) - 1]
                log.add("G1b") {
                    TxnAnomaly(kind: "G1b", transactions: [w, t], cycle: nil,
                               prose: "\(h.text(t))\nread key \(h.keyText(Int32(k))) = \(h.listText(h.list(m))), ending in \(x), an intermediate state: its writer appended more to the key after it in the same transaction:\n\(h.text(w))")
                }
            }
            return
        }
        checkElementsOneByOne(t, m, &log)
    }

    /// The checks of ``checkElements(_:_:_:)`` for a read that is not a prefix of its key's order.
    private func checkElementsOneByOne(_ t: Int, _ m: Int, _ log: inout AnomalyLog) {
        let k = h.mopKey[m]
        let xs = h.list(m)
        var seen = Set<Int64>()
        var duplicate: Int64? = nil
        if xs.count <= 32 {
            outer: for i in xs.indices {
                for j in xs.indices where j > i && xs[j] == xs[i] {
                    duplicate = xs[i]
                    break outer
                }
            }
        } else {
            for x in xs where !seen.insert(x).inserted {
                duplicate = x
                break
            }
        }
        if let duplicate {
            log.add("duplicate-elements") {
                TxnAnomaly(kind: "duplicate-elements", transactions: [t], cycle: nil,
                           prose: "\(h.text(t))\n\(h.mopText(m)) holds \(duplicate) more than once, but it was appended once.")
            }
        }
        for x in xs {
            guard let w = writerTxn(k, x) else {
                log.add("garbage-read") {
                    TxnAnomaly(kind: "garbage-read", transactions: [t], cycle: nil,
                               prose: "\(h.text(t))\n\(h.mopText(m)) holds \(x), but no transaction appended \(x) to key \(h.keyText(k)).")
                }
                continue
            }
            if h.status[w] == .fail {
                log.add("G1a") {
                    TxnAnomaly(kind: "G1a", transactions: [w, t], cycle: nil,
                               prose: "\(h.text(t))\nread \(x) from key \(h.keyText(k)) (\(h.mopText(m))), but \(x) was appended by a transaction that failed (aborted):\n\(h.text(w))")
                }
            }
        }
        // G1b: the last element was not its writer's final append to k.
        if let last = xs.last, let wm = writer[KeyValue(key: k, value: last)] {
            let w = Int(mopTxn[Int(wm)])
            if w != t, let later = (Int(wm) + 1..<h.mops(w).upperBound).first(where: { h.mopKey[$0] == k && h.mopFn[$0] == .append }) {
                log.add("G1b") {
                    TxnAnomaly(kind: "G1b", transactions: [w, t], cycle: nil,
                               prose: "\(h.text(t))\nread key \(h.keyText(k)) = \(h.listText(xs)), ending in \(last), an intermediate state: its writer appended \(h.mopValue[later]) after it in the same transaction:\n\(h.text(w))")
                }
            }
        }
    }

    /// Incompatible orders and dirty updates, per key.
    private mutating func checkOrders(_ log: inout AnomalyLog) {
        for m in 0..<h.mopFn.count where h.mopFn[m] == .read && h.readKnown(m) && h.status[Int(mopTxn[m])] == .ok {
            let k = Int(h.mopKey[m])
            let l = Int(longest[k])
            guard l != m else { continue }
            let xs = h.list(m)
            let ys = h.list(l)
            if !ys.starts(with: xs) {
                incompatible.insert(Int32(m))
                let a = Int(mopTxn[m])
                let b = Int(mopTxn[l])
                log.add("incompatible-order") {
                    TxnAnomaly(kind: "incompatible-order", transactions: [a, b], cycle: nil,
                               prose: "Two reads of key \(h.keyText(Int32(k))) saw orders that cannot both be prefixes of one version order: "
                                + "\(h.mopText(m)) and \(h.mopText(l)).\n\(h.text(a))\n\(h.text(b))")
                }
            }
        }
        for k in 0..<longest.count where longest[k] >= 0 {
            let l = Int(longest[k])
            var failed: (value: Int64, txn: Int)? = nil
            let base = Int(orderStart[k])
            for (i, x) in h.list(l).enumerated() {
                let w = Int(orderWriter[base + i])
                guard w >= 0 else { continue }
                if h.status[w] == .fail {
                    if failed == nil { failed = (x, w) }
                } else if let f = failed, h.status[w] == .ok {
                    log.add("dirty-update") {
                        TxnAnomaly(kind: "dirty-update", transactions: [f.txn, w], cycle: nil,
                                   prose: "Key \(h.keyText(Int32(k)))'s version order \(h.listText(h.list(l))) has \(f.value), appended by a failed transaction, "
                                    + "followed by \(x), appended by a committed one: the committed append built on an aborted write.\n\(h.text(f.txn))\n\(h.text(w))")
                    }
                    break
                }
            }
        }
    }

    /// ww, wr and rw edges per key, lost updates, and the unread appends of committed transactions.
    private func addEdges(_ log: inout AnomalyLog, _ edges: inout EdgeList) {
        let keyCount = h.keyNames.count
        // Committed appends that no read saw: after every version read.
        var unread = [[Int32]](repeating: [], count: keyCount)
        var lastWriter = [Int32](repeating: -1, count: keyCount)
        for k in 0..<keyCount where longest[k] >= 0 {
            var prev = -1
            for i in Int(orderStart[k])..<Int(orderStart[k + 1]) {
                let w = Int(orderWriter[i])
                guard w >= 0, h.status[w] != .fail else { continue }
                if prev >= 0 { edges.add(prev, w, .ww, key: Int32(k)) }
                prev = w
            }
            lastWriter[k] = Int32(prev)
        }
        for t in 0..<h.count where h.status[t] == .ok {
            for m in h.mops(t) where h.mopFn[m] == .append {
                let k = Int(h.mopKey[m])
                if observed[m] { continue }
                if unread[k].last != Int32(t) { unread[k].append(Int32(t)) }
            }
        }
        for k in 0..<keyCount where !unread[k].isEmpty && lastWriter[k] >= 0 {
            for u in unread[k] { edges.add(Int(lastWriter[k]), Int(u), .ww, key: Int32(k)) }
        }
        var lostUpdate: [KeyValue: [Int32]] = [:]
        for (mop, length) in extReads {
            let m = Int(mop)
            guard !incompatible.contains(mop) else { continue }
            let t = Int(mopTxn[m])
            let k = Int(h.mopKey[m])
            let base = Int(orderStart[k])
            let end = Int(orderStart[k + 1])
            let n = Int(length)
            var seenWriter = -1
            if n > 0 {
                let w = Int(orderWriter[base + n - 1])
                if w >= 0 && h.status[w] != .fail {
                    edges.add(w, t, .wr, key: Int32(k))
                    seenWriter = w
                }
            }
            // rw: to the writer of the next element (committed or unknown), or to every unread
            // committed append. Later elements of the writer whose state it saw are skipped: that
            // read of an intermediate state is G1b, reported on its own.
            var next = base + n
            var found = false
            while next < end {
                let w = Int(orderWriter[next])
                if w >= 0, h.status[w] != .fail, w != seenWriter {
                    edges.add(t, w, .rw, key: Int32(k))
                    found = true
                    break
                }
                next += 1
            }
            if !found { for u in unread[k] where Int(u) != seenWriter { edges.add(t, Int(u), .rw, key: Int32(k)) } }
            // lost update: it read this version, then appended to the key.
            if h.mops(t).contains(where: { $0 > m && h.mopKey[$0] == Int32(k) && h.mopFn[$0] == .append }) {
                lostUpdate[KeyValue(key: Int32(k), value: Int64(n)), default: []].append(Int32(t))
            }
        }
        for (kv, txns) in lostUpdate where txns.count > 1 {
            let order = longest[Int(kv.key)] >= 0 ? h.list(Int(longest[Int(kv.key)])) : []
            let version = order.prefix(Int(kv.value))
            log.add("lost-update") {
                TxnAnomaly(kind: "lost-update", transactions: txns.map(Int.init), cycle: nil,
                           prose: "\(txns.count) committed transactions read key \(h.keyText(kv.key)) = \(h.listText(version)) and then appended to it; "
                            + "each one's update was lost to the others':\n" + txns.prefix(8).map { h.text(Int($0)) }.joined(separator: "\n"))
            }
        }
    }

    /// How an edge on `key` from `a` to `b` follows from the history, for prose.
    func explain(_ a: Int, _ b: Int, _ kind: EdgeKind, key: Int32) -> String {
        let k = h.keyText(key)
        func appends(_ t: Int) -> [Int64] { h.mops(t).filter { h.mopKey[$0] == key && h.mopFn[$0] == .append }.map { h.mopValue[$0] } }
        func firstRead(_ t: Int) -> Int? { h.mops(t).first { h.mopKey[$0] == key && h.mopFn[$0] == .read } }
        let order = longest[Int(key)] >= 0 ? h.list(Int(longest[Int(key)])) : []
        let orderText = "key \(k)'s version order (its longest read) is \(h.listText(order, maxElements: 16))"
        switch kind {
        case .ww:
            let av = appends(a).map(String.init).joined(separator: ", ")
            let bv = appends(b).map(String.init).joined(separator: ", ")
            if let y = appends(b).first, order.contains(y) {
                return "T\(a) appended \(av) to key \(k) and T\(b) appended \(bv) after it: \(orderText), so T\(a) < T\(b) (ww)."
            }
            return "T\(a) appended \(av) to key \(k), the last element any read saw (\(orderText)); T\(b) committed its append of \(bv), which no read saw, so it came later: T\(a) < T\(b) (ww)."
        case .wr:
            let r = firstRead(b).map { h.mopText($0) } ?? "a read of key \(k)"
            return "T\(b) read \(r); its last element before T\(b)'s own appends was appended by T\(a), so T\(a) < T\(b) (wr)."
        case .rw:
            let r = firstRead(a).map { h.mopText($0) } ?? "a read of key \(k)"
            let bv = appends(b).map(String.init).joined(separator: ", ")
            if let y = appends(b).first, order.contains(y) {
                return "T\(a) read \(r), which does not hold \(bv); T\(b) appended \(bv), the next element after what T\(a) saw (\(orderText)), so T\(a) < T\(b) (rw)."
            }
            return "T\(a) read \(r), every element any read saw; T\(b) committed its append of \(bv) to key \(k), which no read saw, so T\(a) < T\(b) (rw)."
        default:
            return ""
        }
    }
}
