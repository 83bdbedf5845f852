import Basics
import Checkers
import Histories
import SchismTestKit
import Testing

/// "Stale but ordered" or "out of order": the diagnosis added to keys that are not linearizable.
struct SequentialConsistencyTests {
    func check(_ b: HistoryBuilder) -> CheckerOutcome {
        LinearizabilityCheck(model: RegisterModel(allowsCAS: true), options: CheckOptions()).check(b.history)
    }

    func partition(_ outcome: CheckerOutcome) throws -> PartitionResult {
        let result = try #require(outcome.payload as? CheckResult)
        return try #require(result.partitions.first)
    }

    @Test func aStaleReadIsStillSequentiallyConsistent() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.ok(0, "write", 1)
        b.invoke(1, "read"); b.ok(1, "read", .null)  // after the write completed: stale
        let outcome = check(b)
        #expect(outcome.verdict == .invalid)
        let p = try partition(outcome)
        #expect(p.sequentiallyConsistent == true)
        #expect(p.anomaly?.prose.contains("still sequentially consistent") == true)
        #expect(outcome.findings.first?.prose.contains("staleness") == true)
    }

    @Test func aProcessThatSeesItsOwnWritesOutOfOrderIsNot() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.ok(0, "write", 1)
        b.invoke(0, "write", 2); b.ok(0, "write", 2)
        b.invoke(0, "read"); b.ok(0, "read", 1)
        let p = try partition(check(b))
        #expect(p.verdict == .invalid)
        #expect(p.sequentiallyConsistent == false)
        #expect(p.anomaly?.prose.contains("not even sequentially consistent") == true)
    }

    @Test func validKeysAreNotDiagnosed() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.ok(0, "write", 1)
        b.invoke(1, "read"); b.ok(1, "read", 1)
        #expect(try partition(check(b)).sequentiallyConsistent == nil)
    }

    /// Every interleaving that keeps each process's order, tried one by one.
    func bruteForce(_ perProcess: [[(f: String, v: JSONValue, out: JSONValue)]]) -> Bool {
        let model = RegisterModel(allowsCAS: true)
        func go(_ positions: [Int], _ state: JSONValue) -> Bool {
            if positions.enumerated().allSatisfy({ $1 == perProcess[$0].count }) { return true }
            for p in perProcess.indices where positions[p] < perProcess[p].count {
                let op = perProcess[p][positions[p]]
                guard let call = try? model.call(f: op.f, key: nil, input: op.v, output: op.out),
                    let next = model.step(state, call)
                else { continue }
                var moved = positions
                moved[p] += 1
                if go(moved, next) { return true }
            }
            return false
        }
        return go(Array(repeating: 0, count: perProcess.count), .null)
    }

    @Test func agreesWithBruteForceOnRandomHistories() throws {
        var rng = SplitMix(seed: 99)
        var checked = 0
        for _ in 0..<2_000 {
            // 2-3 processes, 1-3 operations each, values 1...2: small enough to enumerate.
            let processes = 2 + rng.next(below: 2)
            var perProcess: [[(f: String, v: JSONValue, out: JSONValue)]] = []
            for _ in 0..<processes {
                var ops: [(f: String, v: JSONValue, out: JSONValue)] = []
                for _ in 0..<(1 + rng.next(below: 3)) {
                    let value = JSONValue.int(Int64(1 + rng.next(below: 2)))
                    switch rng.next(below: 3) {
                    case 0: ops.append(("write", value, value))
                    case 1: ops.append(("read", .null, rng.next(below: 3) == 0 ? .null : value))
                    default:
                        let pair = JSONValue.array([.int(Int64(1 + rng.next(below: 2))), value])
                        ops.append(("cas", pair, pair))
                    }
                }
                perProcess.append(ops)
            }
            // Sequential per process, processes one after another: real time orders everything.
            var b = HistoryBuilder()
            for (p, ops) in perProcess.enumerated() {
                for op in ops {
                    b.invoke(p, op.f, op.v)
                    b.ok(p, op.f, op.out)
                }
            }
            let outcome = check(b)
            guard outcome.verdict == .invalid, let answer = try partition(outcome).sequentiallyConsistent else { continue }
            #expect(answer == bruteForce(perProcess), "\(perProcess)")
            checked += 1
        }
        #expect(checked > 200, "too few invalid histories to compare: \(checked)")
    }
}
