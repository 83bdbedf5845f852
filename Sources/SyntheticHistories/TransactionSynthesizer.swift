import Basics
import Histories

/// Makes list-append and rw-register transaction histories reproducibly from a seed.
///
/// A simulated store applies each transaction atomically when it completes, so a generated
/// history is strict serializable (valid under every model the checkers know). Crashed
/// transactions complete as `info` and took effect or not by a coin flip; failed ones did not.
/// Keys rotate as in Elle's generator: a key that has had `maxWritesPerKey` writes is replaced by
/// a fresh one, so reads stay short. With `anomaly`, a small pattern that shows exactly that
/// anomaly is added after the valid part, on fresh keys and processes.
public struct TransactionSynthesizer: Sendable {
    /// What to generate.
    public struct Config: Sendable {
        /// List-append (true) or rw-register (false).
        public var listAppend: Bool
        public var transactions: Int
        /// Keys in use at once.
        public var keys: Int
        public var maxWritesPerKey: Int
        public var mopsPerTransaction: Int
        public var processes: Int
        /// Transactions that crash (`info`) and that fail, in thousandths.
        public var crashPerMille: Int
        public var failPerMille: Int
        /// An anomaly kind from ``anomalies(listAppend:)`` to add, or nil for a valid history.
        public var anomaly: String?
        public var seed: UInt64

        public init(
            listAppend: Bool = true, transactions: Int = 1_000, keys: Int = 10, maxWritesPerKey: Int = 32,
            mopsPerTransaction: Int = 4, processes: Int = 5, crashPerMille: Int = 5, failPerMille: Int = 5,
            anomaly: String? = nil, seed: UInt64 = 1
        ) {
            self.listAppend = listAppend
            self.transactions = transactions
            self.keys = keys
            self.maxWritesPerKey = maxWritesPerKey
            self.mopsPerTransaction = mopsPerTransaction
            self.processes = processes
            self.crashPerMille = crashPerMille
            self.failPerMille = failPerMille
            self.anomaly = anomaly
            self.seed = seed
        }
    }

    public let config: Config

    public init(_ config: Config) {
        self.config = config
    }

    /// The anomaly kinds that can be injected, each with the kinds the checker reports for it
    /// (more than one where Elle's definitions overlap: a lost update is also a G-single-item cycle).
    public static func anomalies(listAppend: Bool) -> [String: Set<String>] {
        listAppend
            ? [
                "G0": ["G0"], "G1c": ["G1c"], "G-single-item": ["G-single-item"], "G2-item": ["G2-item"],
                "G0-realtime": ["G0-realtime"], "G1c-realtime": ["G1c-realtime"],
                "G-single-item-realtime": ["G-single-item-realtime"], "G2-item-realtime": ["G2-item-realtime"],
                "G-single-item-process": ["G-single-item-process", "G-single-item-realtime"],
                "G1a": ["G1a"], "G1b": ["G1b"], "lost-update": ["lost-update", "G-single-item"],
                "internal": ["internal"], "future-read": ["future-read"], "duplicate-elements": ["duplicate-elements"],
                "incompatible-order": ["incompatible-order"], "dirty-update": ["dirty-update", "G1a"],
                "garbage-read": ["garbage-read"],
            ]
            : [
                "G-single-item": ["G-single-item"], "G2-item": ["G2-item"], "G1a": ["G1a"], "G1b": ["G1b"],
                "internal": ["internal"], "lost-update": ["lost-update", "G2-item"], "garbage-read": ["garbage-read"],
                "cyclic-versions": ["cyclic-versions", "G0", "G1c"], "G-single-item-realtime": ["G-single-item-realtime"],
            ]
    }

    /// One transaction in flight.
    private struct Pending {
        var process: Int
        var mops: [(fn: UInt8, key: Int, value: Int64)]  // fn 0 write/append, 1 read
        var invokeIndex: Int
    }

    /// Calls `emit` with each operation (invocations and completions) in real-time order.
    public func generate(_ emit: (Op) throws -> Void) rethrows {
        let c = config
        var rng = SplitMix(seed: c.seed)
        let processes = max(1, c.processes)
        var active = Array(0..<max(1, c.keys))
        var nextKey = active.count
        var writes: [Int: Int] = [:]  // key → writes invoked
        var lists: [Int: [Int64]] = [:]  // list-append state
        var registers: [Int: Int64] = [:]  // rw-register state
        var pending = [Pending?](repeating: nil, count: processes)
        var processOf = Array(0..<processes)
        var nextProcess = processes
        var index = 0
        var time: Int64 = 0
        var started = 0
        var completed = 0
        let writeFn = c.listAppend ? "append" : "w"

        func mopsJSON(_ mops: [(fn: UInt8, key: Int, value: Int64)], reads: [JSONValue]?) -> JSONValue {
            var out: [JSONValue] = []
            out.reserveCapacity(mops.count)
            for (i, m) in mops.enumerated() {
                if m.fn == 0 {
                    out.append(.array([.string(writeFn), .int(Int64(m.key)), .int(m.value)]))
                } else {
                    out.append(.array([.string("r"), .int(Int64(m.key)), reads?[i] ?? .null]))
                }
            }
            return .array(out)
        }

        while completed < c.transactions {
            time += Int64(1_000 + rng.next(below: 20_000))
            let slot = rng.next(below: processes)
            guard let p = pending[slot] else {
                guard started < c.transactions else { continue }
                started += 1
                var mops: [(fn: UInt8, key: Int, value: Int64)] = []
                for _ in 0..<max(1, c.mopsPerTransaction) {
                    let ki = rng.next(below: active.count)
                    let key = active[ki]
                    if rng.next(below: 2) == 0 {
                        mops.append((1, key, 0))
                    } else {
                        let n = writes[key, default: 0] + 1
                        writes[key] = n
                        mops.append((0, key, Int64(n)))
                        if n >= c.maxWritesPerKey {
                            writes[key] = nil
                            active[ki] = nextKey
                            nextKey += 1
                        }
                    }
                }
                pending[slot] = Pending(process: processOf[slot], mops: mops, invokeIndex: index)
                try emit(Op(index: index, time: time, process: .client(processOf[slot]), type: .invoke, f: "txn", value: mopsJSON(mops, reads: nil)))
                index += 1
                continue
            }
            pending[slot] = nil
            completed += 1
            let roll = rng.next(below: 1000)
            let crash = roll < c.crashPerMille
            let fail = !crash && roll < c.crashPerMille + c.failPerMille
            let applies = !fail && (!crash || rng.next(below: 2) == 0)
            var reads = [JSONValue](repeating: .null, count: p.mops.count)
            // Apply atomically: reads see the state with this transaction's own earlier writes.
            var own: [Int: [Int64]] = [:]
            var ownRegister: [Int: Int64] = [:]
            for (i, m) in p.mops.enumerated() {
                if c.listAppend {
                    if m.fn == 0 { own[m.key, default: []].append(m.value) } else {
                        reads[i] = .array((lists[m.key, default: []] + own[m.key, default: []]).map { .int($0) })
                    }
                } else {
                    if m.fn == 0 { ownRegister[m.key] = m.value } else {
                        let v = ownRegister[m.key] ?? registers[m.key]
                        reads[i] = v.map { .int($0) } ?? .null
                    }
                }
            }
            if applies {
                for (k, vs) in own { lists[k, default: []] += vs }
                for (k, v) in ownRegister { registers[k] = v }
            }
            let type: OpType = crash ? .info : fail ? .fail : .ok
            try emit(Op(index: index, time: time, process: .client(p.process), type: type, f: "txn",
                        value: mopsJSON(p.mops, reads: type == .ok ? reads : nil)))
            index += 1
            if crash {
                processOf[slot] = nextProcess
                nextProcess += 1
            }
        }
        if let anomaly = c.anomaly {
            for op in Self.pattern(anomaly, listAppend: c.listAppend, firstKey: nextKey, firstProcess: nextProcess, firstIndex: index, time: time) {
                try emit(op)
            }
        }
    }

    /// The whole history in memory.
    public func history() -> History {
        var ops: [Op] = []
        generate { ops.append($0) }
        return History(operations: ops)
    }

    /// The operations of an injected anomaly: transactions on keys from `firstKey` on, by processes
    /// from `firstProcess` on; empty for an unknown kind.
    public static func pattern(_ kind: String, listAppend: Bool, firstKey: Int, firstProcess: Int, firstIndex: Int, time: Int64) -> [Op] {
        let x = Int64(firstKey), y = Int64(firstKey + 1), z = Int64(firstKey + 2)
        // A step: (transaction number, type, micro-operations as they complete); an invocation's
        // reads are null. Transaction n runs on process firstProcess + n unless `sameProcess`.
        typealias M = JSONValue
        func a(_ k: Int64, _ v: Int64) -> M { .array([.string(listAppend ? "append" : "w"), .int(k), .int(v)]) }
        func r(_ k: Int64, _ vs: [Int64]) -> M { .array([.string("r"), .int(k), .array(vs.map { .int($0) })]) }
        func rv(_ k: Int64, _ v: Int64?) -> M { .array([.string("r"), .int(k), v.map { .int($0) } ?? .null]) }
        enum Step {
            case invoke(Int, [M])
            case complete(Int, OpType, [M])
        }
        func serial(_ n: Int, _ mops: [M], _ type: OpType = .ok) -> [Step] { [.invoke(n, mops), .complete(n, type, mops)] }
        var steps: [Step] = []
        var sameProcess = false
        switch (kind, listAppend) {
        case ("G0", true):
            steps = [.invoke(1, [a(x, 1), a(y, 1)]), .invoke(2, [a(x, 2), a(y, 2)]), .complete(1, .ok, [a(x, 1), a(y, 1)]),
                     .complete(2, .ok, [a(x, 2), a(y, 2)])] + serial(3, [r(x, [1, 2]), r(y, [2, 1])])
        case ("G1c", true):
            steps = [.invoke(1, [a(x, 1), r(y, [])]), .invoke(2, [a(y, 1), r(x, [])]),
                     .complete(1, .ok, [a(x, 1), r(y, [1])]), .complete(2, .ok, [a(y, 1), r(x, [1])])]
        case ("G-single-item", true):
            steps = serial(0, [a(x, 1), a(y, 1)]) + [
                .invoke(1, [r(x, []), r(y, [])]), .invoke(2, [a(x, 2), a(y, 2)]), .complete(2, .ok, [a(x, 2), a(y, 2)]),
                .complete(1, .ok, [r(x, [1]), r(y, [1, 2])]),
            ] + serial(3, [r(x, [1, 2]), r(y, [1, 2])])
        case ("G-single-item", false):
            steps = serial(0, [a(x, 1), a(y, 1)]) + [
                .invoke(1, [rv(x, nil), rv(y, nil)]), .invoke(2, [rv(x, nil), a(x, 2), rv(y, nil), a(y, 2)]),
                .complete(2, .ok, [rv(x, 1), a(x, 2), rv(y, 1), a(y, 2)]), .complete(1, .ok, [rv(x, 1), rv(y, 2)]),
            ]
        case ("G2-item", true):
            steps = serial(0, [a(x, 1), a(y, 1)]) + [
                .invoke(1, [r(x, []), r(y, []), a(x, 2)]), .invoke(2, [r(x, []), r(y, []), a(y, 2)]),
                .complete(1, .ok, [r(x, [1]), r(y, [1]), a(x, 2)]), .complete(2, .ok, [r(x, [1]), r(y, [1]), a(y, 2)]),
            ] + serial(3, [r(x, [1, 2]), r(y, [1, 2])])
        case ("G2-item", false):
            steps = serial(0, [a(x, 1), a(y, 1)]) + [
                .invoke(1, [rv(x, nil), rv(y, nil), a(x, 2)]), .invoke(2, [rv(x, nil), rv(y, nil), a(y, 2)]),
                .complete(1, .ok, [rv(x, 1), rv(y, 1), a(x, 2)]), .complete(2, .ok, [rv(x, 1), rv(y, 1), a(y, 2)]),
            ]
        case ("G0-realtime", true):
            steps = serial(1, [a(x, 1)]) + serial(2, [a(x, 2)]) + serial(3, [r(x, [2, 1])])
        case ("G1c-realtime", true):
            steps = serial(1, [r(x, [1])]) + serial(2, [a(x, 1)])
        case ("G-single-item-realtime", true):
            steps = serial(1, [a(x, 1)]) + serial(2, [r(x, [])])
        case ("G-single-item-realtime", false):
            steps = serial(1, [a(x, 1)]) + serial(2, [rv(x, nil)])
        case ("G-single-item-process", true):
            sameProcess = true
            steps = serial(1, [a(x, 1)]) + serial(2, [r(x, [])])
        case ("G2-item-realtime", true):
            steps = [.invoke(2, [a(y, 1), r(z, [])]), .invoke(3, [a(z, 1)]), .complete(3, .ok, [a(z, 1)]),
                     .invoke(1, [r(y, [])]), .complete(1, .ok, [r(y, [])]), .complete(2, .ok, [a(y, 1), r(z, [])])]
        case ("G1a", true):
            steps = serial(1, [a(x, 1)], .fail) + serial(2, [r(x, [1])])
        case ("G1a", false):
            steps = serial(1, [a(x, 1)], .fail) + serial(2, [rv(x, 1)])
        case ("G1b", true):
            steps = serial(1, [a(x, 1), a(x, 2)]) + serial(2, [r(x, [1])])
        case ("G1b", false):
            steps = serial(1, [a(x, 1), a(x, 2)]) + serial(2, [rv(x, 1)])
        case ("lost-update", true):
            steps = serial(0, [a(x, 1)]) + [
                .invoke(1, [r(x, []), a(x, 2)]), .invoke(2, [r(x, []), a(x, 3)]),
                .complete(1, .ok, [r(x, [1]), a(x, 2)]), .complete(2, .ok, [r(x, [1]), a(x, 3)]),
            ] + serial(3, [r(x, [1, 2, 3])])
        case ("lost-update", false):
            steps = serial(0, [a(x, 1)]) + [
                .invoke(1, [rv(x, nil), a(x, 2)]), .invoke(2, [rv(x, nil), a(x, 3)]),
                .complete(1, .ok, [rv(x, 1), a(x, 2)]), .complete(2, .ok, [rv(x, 1), a(x, 3)]),
            ]
        case ("internal", true):
            steps = serial(1, [a(x, 1), r(x, [])])
        case ("internal", false):
            steps = serial(1, [a(x, 1), rv(x, 2)])
        case ("future-read", true):
            steps = serial(1, [r(x, [1]), a(x, 1)])
        case ("duplicate-elements", true):
            steps = serial(1, [a(x, 1)]) + serial(2, [r(x, [1, 1])])
        case ("incompatible-order", true):
            steps = serial(1, [a(x, 1)]) + serial(2, [a(x, 2)]) + serial(3, [r(x, [1, 2])]) + serial(4, [r(x, [2, 1])])
        case ("dirty-update", true):
            steps = serial(1, [a(x, 1)], .fail) + serial(2, [a(x, 2)]) + serial(3, [r(x, [1, 2])])
        case ("garbage-read", true):
            steps = serial(1, [r(x, [7])])
        case ("garbage-read", false):
            steps = serial(1, [rv(x, 7)])
        case ("cyclic-versions", false):
            steps = [.invoke(1, [rv(x, nil), a(x, 2)]), .invoke(2, [rv(x, nil), a(x, 1)]),
                     .complete(1, .ok, [rv(x, 1), a(x, 2)]), .complete(2, .ok, [rv(x, 2), a(x, 1)])]
        default:
            return []
        }
        var ops: [Op] = []
        var t = time
        for step in steps {
            t += 1_000
            let (n, type, mops): (Int, OpType, [M])
            switch step {
            case .invoke(let i, let m):
                // An invocation's reads are null.
                (n, type, mops) = (i, .invoke, m.map { mop in
                    guard case .array(let parts) = mop, parts.count == 3, parts[0] == .string("r") else { return mop }
                    return .array([parts[0], parts[1], .null])
                })
            case .complete(let i, let ty, let m):
                (n, type, mops) = (i, ty, ty == .ok ? m : m.map { mop in
                    guard case .array(let parts) = mop, parts.count == 3, parts[0] == .string("r") else { return mop }
                    return .array([parts[0], parts[1], .null])
                })
            }
            let process = firstProcess + (sameProcess ? 0 : n)
            ops.append(Op(index: firstIndex + ops.count, time: t, process: .client(process), type: type, f: "txn", value: .array(mops)))
        }
        return ops
    }
}
