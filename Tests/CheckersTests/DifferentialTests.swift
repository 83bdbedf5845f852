import Basics
import Checkers
import SyntheticHistories
import Histories
import SchismTestKit
import Testing

/// The search against a brute-force checker that tries every order, on random small histories.
struct DifferentialTests {
    /// A random history: 2-4 processes, reads/writes/cas over values 0-2, random ok/fail/info
    /// completions and some operations left in flight. Roughly half are linearizable.
    static func randomHistory(_ rng: inout SplitMix, keys: Int) -> [Op] {
        var b = HistoryBuilder()
        let slots = 2 + rng.next(below: 3)
        var process = Array(0..<slots)
        var busy: [(f: String, v: JSONValue, key: String)?] = Array(repeating: nil, count: slots)
        var nextProcess = slots
        let events = 4 + rng.next(below: 12)
        func value(_ rng: inout SplitMix) -> JSONValue { .int(Int64(rng.next(below: 3))) }
        for _ in 0..<events {
            let s = rng.next(below: slots)
            if let op = busy[s] {
                busy[s] = nil
                let roll = rng.next(below: 10)
                if op.f == "read" {
                    if roll < 8 {
                        b.ok(process[s], "read", rng.next(below: 4) == 0 ? .null : value(&rng), key: op.key)
                    } else {
                        b.info(process[s], "read", key: op.key)
                        process[s] = nextProcess; nextProcess += 1
                    }
                } else if roll < 6 {
                    b.ok(process[s], op.f, op.v, key: op.key)
                } else if roll < 8 {
                    b.fail(process[s], op.f, op.v, key: op.key)
                } else {
                    b.info(process[s], op.f, op.v, key: op.key)
                    process[s] = nextProcess; nextProcess += 1
                }
            } else {
                let key = "k\(rng.next(below: keys))"
                switch rng.next(below: 3) {
                case 0: busy[s] = ("read", .null, key); b.invoke(process[s], "read", key: key)
                case 1: let v = value(&rng); busy[s] = ("write", v, key); b.invoke(process[s], "write", v, key: key)
                default:
                    let v: JSONValue = [rng.next(below: 4) == 0 ? .null : value(&rng), value(&rng)]
                    busy[s] = ("cas", v, key); b.invoke(process[s], "cas", v, key: key)
                }
            }
        }
        return b.operations
    }

    /// Tries every order that respects real time; info and never-completed calls may be left out.
    static func bruteForce(_ ops: [Op], initial: JSONValue) throws -> Bool {
        let model = RegisterModel(allowsCAS: true)
        let calls = try Pairing.calls(ops).filter { $0.outcome != .fail }
        struct C { var call: RegisterModel.Call; var invoke: Int; var completion: Int; var must: Bool; var key: String? }
        let cs = try calls.map { r -> C in
            let inv = ops[r.invoke]
            let out = r.outcome == .ok ? r.completion.map { ops[$0].value } : nil
            return C(call: try model.call(f: inv.f, key: inv.key, input: inv.value, output: out), invoke: r.invoke,
                     completion: r.outcome == .ok ? (r.completion ?? Int.max) : Int.max, must: r.outcome == .ok, key: inv.key)
        }
        var placed = [Bool](repeating: false, count: cs.count)
        var state: [String: JSONValue] = [:]
        func search(_ remaining: Int) -> Bool {
            if remaining == 0 { return true }
            for i in cs.indices where !placed[i] {
                // i may go next only if every unplaced ok call that completed before i began is placed.
                if cs.indices.contains(where: { j in !placed[j] && cs[j].must && cs[j].completion < cs[i].invoke }) { continue }
                let k = cs[i].key ?? ""
                let before = state[k] ?? initial
                guard let after = model.step(before, cs[i].call) else { continue }
                placed[i] = true; state[k] = after
                if search(remaining - (cs[i].must ? 1 : 0)) { return true }
                placed[i] = false; state[k] = before
            }
            return false
        }
        return search(cs.filter(\.must).count)
    }

    @Test func agreesWithBruteForceOnTenThousandHistories() throws {
        var rng = SplitMix(seed: 20261125)
        let model = try #require(Models.named("cas-register"))
        var counts: [Verdict: Int] = [:]
        for n in 0..<10_000 {
            let keys = n % 4 == 0 ? 2 : 1
            let ops = Self.randomHistory(&rng, keys: keys)
            let expected = try Self.bruteForce(ops, initial: .null)
            let result = try LinearizabilityChecker(model: model, options: CheckOptions(parallelism: 1)).check(operations: ops)
            counts[result.verdict, default: 0] += 1
            if result.verdict != (expected ? .valid : .invalid) {
                let text = ops.map(\.jsonLine).joined(separator: "\n")
                Issue.record("history \(n): brute force says \(expected ? "valid" : "invalid"), search says \(result.verdict)\n\(text)")
                return
            }
        }
        // Both verdicts must be well represented, or the test proves little.
        #expect(counts[.valid, default: 0] > 2_000)
        #expect(counts[.invalid, default: 0] > 2_000)
    }

    @Test func generatedHistoriesHaveTheVerdictTheyWereMadeWith() throws {
        for seed: UInt64 in 1...20 {
            for model in HistorySynthesizer.models {
                for violation in [false, true] {
                    var ops: [Op] = []
                    HistorySynthesizer(.init(model: model, operations: 2_000, keys: 5, processes: 8, crashes: 3, violation: violation, seed: seed))
                        .generate { ops.append($0) }
                    let result = try LinearizabilityChecker(model: try #require(Models.named(model))).check(operations: ops)
                    #expect(result.verdict == (violation ? .invalid : .valid), "seed \(seed) model \(model) violation \(violation)")
                    if violation {
                        // One key is invalid; others may be unknown, stopped early.
                        let invalid = result.partitions.filter { $0.verdict == .invalid }
                        #expect(invalid.count == 1)
                        let blocking = try #require(invalid.first?.anomaly?.blocking)
                        #expect(["get", "read"].contains(ops[blocking].f))
                    }
                }
            }
        }
    }

    @Test func timeoutGivesUnknownPromptly() throws {
        // 40 concurrent writes that all completed, and a read of a value never written while they
        // were in flight: every subset of the writes must be tried before the read. Exponential.
        var b = HistoryBuilder()
        for p in 0..<40 { b.invoke(p, "write", .int(Int64(p))) }
        b.invoke(99, "read"); b.ok(99, "read", 1000)
        for p in 0..<40 { b.ok(p, "write", .int(Int64(p))) }
        let clock = ContinuousClock()
        let start = clock.now
        let result = try LinearizabilityChecker(model: RegisterModel(allowsCAS: false), options: CheckOptions(timeoutSeconds: 0.3)).check(b.history)
        let elapsed = clock.now - start
        #expect(result.verdict == .unknown)
        #expect(result.partitions.first?.note?.contains("timed out") == true)
        #expect(result.partitions.first?.anomaly?.prose.contains("nothing is proved") == true)
        #expect(elapsed < .seconds(3), "a 0.3 s limit took \(elapsed)")
    }

    @Test func manyCrashedWritesDoNotMakeTheSearchExponential() throws {
        // 40 writes whose outcome is unknown (as during a partition), then a read of a value that
        // was overwritten by a completed write before the read began: invalid, and decided (not
        // unknown) because a placed crashed write is never needed where fewer would do. Without
        // that dominance the search tried 2^40 subsets (it ran into a 600 s limit on a real run).
        var b = HistoryBuilder()
        for p in 0..<40 { b.invoke(p, "write", .int(Int64(p % 7))) }
        for p in 0..<40 { b.info(p, "write", .int(Int64(p % 7))) }
        b.invoke(100, "write", 50); b.ok(100, "write", 50)
        b.invoke(101, "write", 51); b.ok(101, "write", 51)
        b.invoke(102, "read"); b.ok(102, "read", 50)
        let result = try LinearizabilityChecker(model: RegisterModel(allowsCAS: false), options: CheckOptions(timeoutSeconds: 60)).check(b.history)
        #expect(result.verdict == .invalid)
    }
}
