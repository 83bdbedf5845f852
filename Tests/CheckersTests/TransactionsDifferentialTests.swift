import Basics
import Checkers
import Histories
import Testing

/// The list-append checker against an exhaustive search for a serial order, on a few hundred
/// small random histories: they agree on serializable or not.
struct TransactionsDifferentialTests {
    /// One committed transaction: micro-operations (isRead, key, value or list read).
    typealias Mop = (read: Bool, key: Int, value: Int64, list: [Int64])

    /// Whether some order of all `txns` explains every read (each transaction applied atomically):
    /// depth-first over every order, cutting an order as soon as a transaction's reads do not fit.
    static func serializable(_ txns: [[Mop]], keys: Int) -> Bool {
        var placed = [Bool](repeating: false, count: txns.count)
        var state = [[Int64]](repeating: [], count: keys)
        var tried = 0
        func go(_ depth: Int) -> Bool {
            if depth == txns.count { return true }
            for t in txns.indices where !placed[t] {
                tried += 1
                var s = state
                var fits = true
                for m in txns[t] {
                    if m.read {
                        if s[m.key] != m.list { fits = false; break }
                    } else {
                        s[m.key].append(m.value)
                    }
                }
                guard fits else { continue }
                let saved = state
                state = s
                placed[t] = true
                if go(depth + 1) { return true }
                placed[t] = false
                state = saved
            }
            return false
        }
        return go(0)
    }

    /// Random transactions that read from a random earlier snapshot of one commit order (plus
    /// their own appends): some histories are serializable, many are not.
    static func randomHistory(_ rng: inout SplitMix, count: Int, keys: Int) -> [[Mop]] {
        var committed: [[[Int64]]] = [[[Int64]](repeating: [], count: keys)]  // state after each commit
        var next = [Int64](repeating: 1, count: keys)
        var txns: [[Mop]] = []
        for _ in 0..<count {
            let stale = rng.next(below: 3) == 0
            let snapshot = stale ? committed[rng.next(below: committed.count)] : committed[committed.count - 1]
            var view = snapshot
            var mops: [Mop] = []
            var appends: [(Int, Int64)] = []
            for _ in 0..<(1 + rng.next(below: 4)) {
                let k = rng.next(below: keys)
                if rng.next(below: 2) == 0 {
                    mops.append((true, k, 0, view[k]))
                } else {
                    let v = next[k]
                    next[k] += 1
                    view[k].append(v)
                    appends.append((k, v))
                    mops.append((false, k, v, []))
                }
            }
            var after = committed[committed.count - 1]
            for (k, v) in appends { after[k].append(v) }
            committed.append(after)
            txns.append(mops)
        }
        return txns
    }

    /// The transactions as a history: one after another, each invoked and completed.
    static func history(_ txns: [[Mop]]) -> History {
        var ops: [Op] = []
        for (t, mops) in txns.enumerated() {
            let done: JSONValue = .array(mops.map { m in
                m.read ? .array(["r", .int(Int64(m.key)), .array(m.list.map { .int($0) })]) : .array(["append", .int(Int64(m.key)), .int(m.value)])
            })
            let invoked: JSONValue = .array(mops.map { m in
                m.read ? .array(["r", .int(Int64(m.key)), .null]) : .array(["append", .int(Int64(m.key)), .int(m.value)])
            })
            ops.append(Op(index: ops.count, process: .client(t), type: .invoke, f: "txn", value: invoked))
            ops.append(Op(index: ops.count, process: .client(t), type: .ok, f: "txn", value: done))
        }
        return History(operations: ops)
    }

    @Test func agreesWithExhaustiveSearch() {
        var rng = SplitMix(seed: 20_260_101)
        let check = TransactionCheck(listAppend: true, consistency: "serializable")
        var counts = (serializable: 0, not: 0)
        for i in 0..<300 {
            let keys = 1 + rng.next(below: 3)
            let txns = Self.randomHistory(&rng, count: 2 + rng.next(below: 7), keys: keys)
            let expected = Self.serializable(txns, keys: keys)
            let outcome = check.check(Self.history(txns))
            #expect((outcome.verdict == .valid) == expected, "history \(i): brute force says \(expected), checker: \(outcome.summary)\n\(outcome.findings.map(\.prose).joined(separator: "\n"))")
            if expected { counts.serializable += 1 } else { counts.not += 1 }
        }
        // Both answers are common, so the comparison means something.
        #expect(counts.serializable > 30 && counts.not > 30, "\(counts)")
    }
}
