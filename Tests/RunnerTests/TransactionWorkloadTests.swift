import Basics
import Checkers
import Config
import Plugins
import Runner
import Systems
import Testing
import Workloads

/// The list-append and rw-register workloads: their fields, and generators that share a rotating
/// key pool with values unique per key across workers.
struct TransactionWorkloadTests {
    let parser = TestPlanParser(registry: BuiltIn.registry)

    /// The micro-operations of a `txn` request as (fn, key, value).
    static func ops(_ r: ClientRequest) -> [(fn: String, key: Int64, value: JSONValue)] {
        (r.value.arrayValue ?? []).compactMap { op in
            guard let p = op.arrayValue, p.count == 3, let fn = p[0].stringValue, let k = p[1].intValue else { return nil }
            return (fn, k, p[2])
        }
    }

    /// `count` transactions from `workers` generators drawn round robin over one allocator.
    static func draw(
        _ w: TransactionWorkload, workers: Int, count: Int, seed: UInt64 = 7
    ) -> (requests: [ClientRequest], keys: KeyAllocator) {
        let keys = KeyAllocator(opsPerKey: w.opsPerKey, clientsPerKey: w.clientsPerKey)
        var gens = (0..<workers).map { w.generator(seed: seed, worker: $0) }
        var out: [ClientRequest] = []
        for i in 0..<count {
            out.append(gens[i % workers].next(keys: keys.worker(i % workers)))
        }
        return (out, keys)
    }

    @Test func readsTheFieldsAndAsksForTheChecker() throws {
        let plan = try parser.parse("""
            db: {system: postgres, isolation: repeatable-read}
            workload:
              kind: list-append
              key-count: 3
              max-writes-per-key: 8
              min-txn-length: 2
              max-txn-length: 5
              mix: {r: 2, append: 1}
              consistency: snapshot-isolation
            """, file: "w.yml")
        let w = try #require(plan.workload as? TransactionWorkload)
        #expect(w.options.keyCount == 3)
        #expect(w.options.maxWritesPerKey == 8)
        #expect(w.options.minTxnLength == 2)
        #expect(w.options.maxTxnLength == 5)
        #expect(w.options.mix == ["r": 2, "append": 1])
        #expect(w.functions == ["txn"])
        #expect(w.checkers == [CheckerSpec("list-append", options: ["consistency": "snapshot-isolation"])])
        #expect(plan.system.settings["isolation"] == "repeatable-read")
        let rw = try parser.parse("db: {system: postgres}\nworkload: {kind: rw-register}", file: "w.yml")
        #expect(rw.workload.checkers == [CheckerSpec("rw-register", options: ["consistency": "strict-serializable"])])
    }

    @Test func errorsNameTheLineAndField() {
        let cases: [(String, String)] = [
            ("workload:\n  kind: list-append\n  mix: {r: 1, w: 1}", "w.yml:3: workload.mix"),
            ("workload:\n  kind: list-append\n  consistency: linearizable", "w.yml:3: workload.consistency"),
            ("workload:\n  kind: rw-register\n  min-txn-length: 5\n  max-txn-length: 2", "w.yml:3: workload.min-txn-length"),
            ("workload:\n  kind: list-append\n  keys: 3", "w.yml:3: workload.keys: unknown field"),
            ("db: {system: postgres, isolation: snapshot}\nworkload: {kind: list-append}", "w.yml:1: db.isolation"),
            ("db: {system: postgres}\nworkload: {kind: register}", "postgres"),
        ]
        for (text, expected) in cases {
            #expect(throws: ConfigError.self) { try parser.parse(text, file: "w.yml") }
            do {
                _ = try parser.parse(text, file: "w.yml")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }

    @Test func theIsolationFlagOverridesTheFile() throws {
        let plan = try parser.parse(
            "db: {system: postgres, isolation: serializable}\nworkload: {kind: list-append}", file: "w.yml",
            overrides: [.init("db.isolation", "repeatable-read", flag: "--isolation")])
        #expect(plan.system.settings["isolation"] == "repeatable-read")
        #expect(throws: ConfigError.self) {
            try parser.parse("db: {system: postgres}\nworkload: {kind: list-append}", file: "w.yml",
                             overrides: [.init("db.isolation", "snapshot", flag: "--isolation")])
        }
    }

    @Test func valuesAreUniquePerKeyAcrossWorkersAndKeysRotate() throws {
        var settings = TransactionSettings(flavor: .listAppend)
        settings.keyCount = 3
        settings.maxWritesPerKey = 5
        let w = TransactionWorkload(flavor: .listAppend, options: settings)
        let (requests, keys) = Self.draw(w, workers: 4, count: 400)
        var written: [Int64: [Int64]] = [:]
        for r in requests {
            #expect(r.f == "txn" && r.key == nil)
            let ops = Self.ops(r)
            #expect((1...4).contains(ops.count))
            for op in ops {
                if op.fn == "append" {
                    written[op.key, default: []].append(try #require(op.value.intValue))
                } else {
                    #expect(op.fn == "r" && op.value == .null)
                }
            }
        }
        // Every key's values are 1, 2, 3, ... without repeats, at most max-writes-per-key of them
        // (a transaction may append to a key twice, once past its limit).
        for (key, values) in written {
            #expect(values == Array(1...Int64(values.count)), "key \(key): \(values)")
            #expect(values.count <= settings.maxWritesPerKey + settings.maxTxnLength, "key \(key): \(values.count) writes")
        }
        // Keys rotated: far more keys than the pool's 3 were used, and no more than 3 at a time.
        #expect(written.count > 20)
        #expect(keys.keys.count >= written.count)
        let final = w.finalRequests(keys: keys.keys)
        let finalKeys = final.flatMap { Self.ops($0).map(\.key) }
        #expect(Set(finalKeys) == Set(keys.keys.compactMap { KeyAllocator.number($0).map(Int64.init) }))
        #expect(final.allSatisfy { Self.ops($0).allSatisfy { $0.fn == "r" } && Self.ops($0).count <= TransactionWorkload.finalReadsPerTxn })
    }

    @Test func aTransactionUsesOnlyActiveKeys() {
        var settings = TransactionSettings(flavor: .rwRegister)
        settings.keyCount = 2
        settings.maxWritesPerKey = 3
        let w = TransactionWorkload(flavor: .rwRegister, options: settings)
        let (requests, _) = Self.draw(w, workers: 3, count: 200)
        for r in requests {
            let distinct = Set(Self.ops(r).map(\.key))
            #expect(distinct.count <= 2, "\(r.value.jsonText)")
            #expect(Self.ops(r).allSatisfy { ["r", "w"].contains($0.fn) })
        }
    }

    @Test func theSameSeedGivesTheSameTransactions() {
        let w = TransactionWorkload(flavor: .listAppend)
        let a = Self.draw(w, workers: 3, count: 60, seed: 11).requests
        let b = Self.draw(w, workers: 3, count: 60, seed: 11).requests
        let c = Self.draw(w, workers: 3, count: 60, seed: 12).requests
        #expect(a == b)
        #expect(a != c)
    }

    @Test func theRegisterWorkloadStillGetsItsKeysByGroup() {
        let keys = KeyAllocator(opsPerKey: 2, clientsPerKey: 1)
        #expect(keys.next(worker: 0) == "k0")
        #expect(keys.next(worker: 0) == "k0")
        #expect(keys.next(worker: 0) == "k1")
        #expect(keys.next(worker: 1) == "k2")
    }
}
