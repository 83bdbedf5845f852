import Basics
import Checkers
import Histories
import SchismTestKit
import Testing

/// The kv model's lookahead (reads that prune states which can no longer reach them) against a
/// brute-force checker, on random append/put/get histories, and on Porcupine's kv files.
struct KVLookaheadTests {
    /// A random kv history from a simulated store (each call takes effect at its completion), with
    /// about one get in two returning an older value, so that roughly half are not linearizable.
    /// Mostly appends; some puts (which suspend the lookahead), fails, infos, a non-ASCII append.
    static func randomHistory(_ rng: inout SplitMix, keys: Int) -> [Op] {
        var b = HistoryBuilder()
        let slots = 2 + rng.next(below: 3)
        var process = Array(0..<slots)
        var busy: [(f: String, v: String, key: String)?] = Array(repeating: nil, count: slots)
        var nextProcess = slots
        var store: [String: String] = [:]
        var seen: [String: [String]] = [:]
        let pieces = ["a", "b", "c", "ab", "é"]
        for _ in 0..<(4 + rng.next(below: 14)) {
            let s = rng.next(below: slots)
            if let op = busy[s] {
                busy[s] = nil
                let roll = rng.next(below: 10)
                if op.f == "get" {
                    var v = store[op.key] ?? ""
                    if rng.next(below: 2) == 0, let old = seen[op.key], !old.isEmpty { v = old[rng.next(below: old.count)] }
                    if roll < 9 { b.ok(process[s], "get", .string(v), key: op.key) } else {
                        b.info(process[s], "get", key: op.key)
                        process[s] = nextProcess; nextProcess += 1
                    }
                    continue
                }
                let apply = { store[op.key] = op.f == "put" ? op.v : (store[op.key] ?? "") + op.v; seen[op.key, default: [""]].append(store[op.key] ?? "") }
                if roll < 7 {
                    apply()
                    b.ok(process[s], op.f, .string(op.v), key: op.key)
                } else if roll < 8 {
                    b.fail(process[s], op.f, .string(op.v), key: op.key)
                } else {
                    if rng.next(below: 2) == 0 { apply() }
                    b.info(process[s], op.f, .string(op.v), key: op.key)
                    process[s] = nextProcess; nextProcess += 1
                }
            } else {
                let key = "k\(rng.next(below: keys))"
                let roll = rng.next(below: 10)
                let f = roll < 4 ? "get" : roll < 9 ? "append" : "put"
                let v = f == "get" ? "" : pieces[rng.next(below: rng.next(below: 20) == 0 ? 5 : 4)]
                busy[s] = (f, v, key)
                b.invoke(process[s], f, f == "get" ? .null : .string(v), key: key)
            }
        }
        return b.operations
    }

    /// Tries every order that respects real time over the whole map; info and never-completed
    /// calls may be left out.
    static func bruteForce(_ ops: [Op]) throws -> Bool {
        let model = KVModel()
        let calls = try Pairing.calls(ops).filter { $0.outcome != .fail }
        struct C { var call: KVModel.Call; var invoke: Int; var completion: Int; var must: Bool }
        let cs = try calls.map { r -> C in
            let inv = ops[r.invoke]
            let out = r.outcome == .ok ? r.completion.map { ops[$0].value } : nil
            return C(call: try model.call(f: inv.f, key: inv.key, input: inv.value, output: out), invoke: r.invoke,
                     completion: r.outcome == .ok ? (r.completion ?? Int.max) : Int.max, must: r.outcome == .ok)
        }
        var placed = [Bool](repeating: false, count: cs.count)
        func search(_ state: KVModel.State, _ remaining: Int) -> Bool {
            if remaining == 0 { return true }
            for i in cs.indices where !placed[i] {
                if cs.indices.contains(where: { j in !placed[j] && cs[j].must && cs[j].completion < cs[i].invoke }) { continue }
                guard let after = model.step(state, cs[i].call) else { continue }
                placed[i] = true
                if search(after, remaining - (cs[i].must ? 1 : 0)) { return true }
                placed[i] = false
            }
            return false
        }
        return search(try model.initialState(nil), cs.filter(\.must).count)
    }

    @Test func agreesWithBruteForceOnFiveThousandHistories() throws {
        var rng = SplitMix(seed: 20261202)
        var counts: [Verdict: Int] = [:]
        for n in 0..<5_000 {
            let ops = Self.randomHistory(&rng, keys: n % 3 == 0 ? 2 : 1)
            let expected = try Self.bruteForce(ops)
            // Per key and as one partition (where a lookahead read tests one key of the map).
            for partition in [true, false] {
                let result = try LinearizabilityChecker(model: KVModel(), options: CheckOptions(partitionByKey: partition, parallelism: 1))
                    .check(operations: ops)
                if partition { counts[result.verdict, default: 0] += 1 }
                if result.verdict != (expected ? .valid : .invalid) {
                    let text = ops.map(\.jsonLine).joined(separator: "\n")
                    Issue.record("history \(n) (partitioned: \(partition)): brute force says \(expected ? "valid" : "invalid"), search says \(result.verdict)\n\(text)")
                    return
                }
            }
        }
        #expect(counts[.valid, default: 0] > 1_000)
        #expect(counts[.invalid, default: 0] > 600)
    }

    @Test func aReadBeforeAPutDoesNotPruneTheStatesThePutMakes() throws {
        // The put of "z" may come before the read of "za": states need not be prefixes of "za" until it is placed.
        var b = HistoryBuilder()
        b.invoke(0, "append", "q", key: "x"); b.ok(0, "append", "q", key: "x")
        b.invoke(1, "put", "z", key: "x")
        b.invoke(2, "append", "a", key: "x")
        b.ok(1, "put", "z", key: "x")
        b.ok(2, "append", "a", key: "x")
        b.invoke(3, "get", key: "x"); b.ok(3, "get", "za", key: "x")
        #expect(try LinearizabilityChecker(model: KVModel()).check(operations: b.operations).verdict == .valid)
        #expect(try Self.bruteForce(b.operations))
    }
}
