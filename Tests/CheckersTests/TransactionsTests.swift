import Basics
import Checkers
import Histories
import SyntheticHistories
import Testing

/// The Elle-style list-append and rw-register checkers: every anomaly kind on its own, valid
/// histories, the model lattice, options and errors.
struct TransactionsTests {
    static let appendKinds = TransactionSynthesizer.anomalies(listAppend: true).keys.sorted()
    static let registerKinds = TransactionSynthesizer.anomalies(listAppend: false).keys.sorted()

    func generated(listAppend: Bool, anomaly: String?, seed: UInt64 = 7, transactions: Int = 300) -> History {
        TransactionSynthesizer(.init(listAppend: listAppend, transactions: transactions, keys: 4, maxWritesPerKey: 8, anomaly: anomaly, seed: seed)).history()
    }

    func result(_ outcome: CheckerOutcome) throws -> TransactionResult {
        try #require((outcome.payload as? TransactionPayload)?.result, "\(outcome.summary)")
    }

    @Test(arguments: appendKinds)
    func listAppendAnomalyAlone(_ kind: String) throws {
        try anomalyAlone(kind, listAppend: true)
    }

    @Test(arguments: registerKinds)
    func rwRegisterAnomalyAlone(_ kind: String) throws {
        try anomalyAlone(kind, listAppend: false)
    }

    /// A valid generated history plus one injected anomaly gives that anomaly and no other, and
    /// a cycle's prose names its transactions with their full text and every edge.
    func anomalyAlone(_ kind: String, listAppend: Bool) throws {
        let expected = try #require(TransactionSynthesizer.anomalies(listAppend: listAppend)[kind])
        let outcome = TransactionCheck(listAppend: listAppend).check(generated(listAppend: listAppend, anomaly: kind))
        let r = try result(outcome)
        #expect(Set(r.anomalyTypes) == expected, "\(kind): \(outcome.findings.map(\.prose).joined(separator: "\n---\n"))")
        #expect(outcome.verdict == .invalid)
        #expect(outcome.findings.map(\.kind).contains(kind))
        #expect(!r.ruledOut.isEmpty)
        for a in r.anomalies {
            #expect(!a.prose.isEmpty)
            guard let cycle = a.cycle else { continue }
            let payload = try #require(outcome.payload as? TransactionPayload)
            for t in cycle.nodes {
                #expect(a.prose.contains(payload.txns.text(t)), "\(a.prose)")
            }
            #expect(cycle.kinds.count == cycle.nodes.count)
            #expect(Set(cycle.nodes).count == cycle.nodes.count, "a witness is a simple cycle: \(cycle.nodes)")
            for k in cycle.kinds { #expect(a.prose.contains("(\(k.name))")) }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func validGeneratedHistoriesAreValid(_ seed: UInt64) throws {
        for listAppend in [true, false] {
            let outcome = TransactionCheck(listAppend: listAppend).check(generated(listAppend: listAppend, anomaly: nil, seed: seed, transactions: 2_000))
            let r = try result(outcome)
            #expect(outcome.verdict == .valid, "\(outcome.summary)\n\(outcome.findings.map(\.prose).joined(separator: "\n"))")
            #expect(r.anomalyTypes.isEmpty)
            #expect(r.strongest == ["strict-serializable"])
            #expect(r.edgeCount > 0)
        }
    }

    @Test func writeSkewIsSnapshotIsolationButNotSerializable() throws {
        let h = generated(listAppend: true, anomaly: "G2-item")
        let si = TransactionCheck(listAppend: true, consistency: "snapshot-isolation").check(h)
        let ser = TransactionCheck(listAppend: true, consistency: "serializable").check(h)
        #expect(si.verdict == .valid)
        #expect(ser.verdict == .invalid)
        let r = try result(ser)
        #expect(r.strongest == ["strong-snapshot-isolation"])
        #expect(r.ruledOut.contains("repeatable-read"))
        #expect(!r.ruledOut.contains("snapshot-isolation"))
    }

    @Test func readSkewRulesOutSnapshotIsolationAndRepeatableRead() throws {
        let r = try result(TransactionCheck(listAppend: true).check(generated(listAppend: true, anomaly: "G-single-item")))
        #expect(r.strongest == ["cursor-stability"])
        #expect(r.ruledOut.contains("snapshot-isolation") && r.ruledOut.contains("repeatable-read"))
    }

    @Test func aStaleReadIsSerializableButNotStrict() throws {
        let h = generated(listAppend: true, anomaly: "G-single-item-realtime")
        #expect(TransactionCheck(listAppend: true, consistency: "serializable").check(h).verdict == .valid)
        let strict = TransactionCheck(listAppend: true).check(h)
        #expect(strict.verdict == .invalid)
        #expect(try result(strict).strongest == ["strong-session-serializable"])
        #expect(strict.summary.contains("strongest model still consistent: strong-session-serializable"))
        #expect(strict.findings.first?.prose.contains("(realtime)") == true)
    }

    @Test func aHandBuiltWriteSkewIsExplainedEdgeByEdge() throws {
        // T0 sets x and y; T1 and T2 each read both and append to one: two rw edges.
        let ops: [(Int, OpType, JSONValue)] = [
            (0, .invoke, [["append", 1, 1], ["append", 2, 1]]), (0, .ok, [["append", 1, 1], ["append", 2, 1]]),
            (1, .invoke, [["r", 1, .null], ["r", 2, .null], ["append", 1, 2]]),
            (2, .invoke, [["r", 1, .null], ["r", 2, .null], ["append", 2, 2]]),
            (1, .ok, [["r", 1, [1]], ["r", 2, [1]], ["append", 1, 2]]),
            (2, .ok, [["r", 1, [1]], ["r", 2, [1]], ["append", 2, 2]]),
            (0, .invoke, [["r", 1, .null], ["r", 2, .null]]), (0, .ok, [["r", 1, [1, 2]], ["r", 2, [1, 2]]]),
        ]
        let h = History(operations: ops.enumerated().map { i, o in Op(index: i, process: .client(o.0), type: o.1, f: "txn", value: o.2) })
        let outcome = TransactionCheck(listAppend: true, consistency: "serializable").check(h)
        let finding = try #require(outcome.findings.first)
        #expect(finding.kind == "G2-item")
        #expect(Set(finding.operations) == [2, 3])
        #expect(finding.prose.contains("T1 (operation 2, process 1, ok): [r 1 [1]] [r 2 [1]] [append 1 2]"))
        #expect(finding.prose.contains("T1 read [r 2 [1]], which does not hold 2; T2 appended 2"))
        #expect(finding.prose.contains("rules out") && finding.prose.contains("serializable"))
    }

    /// Elle's `si-without-g-single` example (written out here): sequential lines, so real-time
    /// edges join in; every cycle reported is simple (a walk through a node twice is two cycles).
    @Test func cyclesAreSimpleWhenRealTimeEdgesJoinIn() throws {
        let text = """
            {:type :invoke, :process 2, :f :txn, :value [[:append 9 2]]}
            {:type :ok, :process 2, :f :txn, :value [[:append 9 2]]}
            {:type :invoke, :process 4, :f :txn, :value [[:append 8 1] [:r 9 nil]]}
            {:type :ok, :process 4, :f :txn, :value [[:append 8 1] [:r 9 nil]]}
            {:type :invoke, :process 7, :f :txn, :value [[:r 6 nil] [:r 8 nil] [:append 9 5]]}
            {:type :ok, :process 7, :f :txn, :value [[:r 6 nil] [:r 8 nil] [:append 9 5]]}
            {:type :invoke, :process 9, :f :txn, :value [[:append 6 2] [:r 9 nil]]}
            {:type :ok, :process 9, :f :txn, :value [[:append 6 2] [:r 9 [2]]]}
            """
        let r = try result(TransactionCheck(listAppend: true).check(try HistoryReader.read(text: text, source: "h.edn")))
        #expect(r.anomalyTypes == ["G-single-item-realtime", "G2-item"])
        #expect(r.strongest == ["strong-session-snapshot-isolation"])
        for a in r.anomalies {
            let nodes = try #require(a.cycle?.nodes)
            #expect(Set(nodes).count == nodes.count, "\(a.prose)")
        }
    }

    @Test func optionsAreChecked() throws {
        let plugin = TransactionPlugin(listAppend: true)
        #expect(throws: CheckerOptionError.self) { try plugin.make(["consistency": "linearizable-ish"]) }
        do {
            _ = try plugin.make(["consistency": "causal-ish"])
        } catch {
            #expect(error.description.contains("snapshot-isolation"))
            #expect(error.description.contains("strict-serializable"))
        }
        #expect(throws: CheckerOptionError.self) { try plugin.make(["colour": "red"]) }
        let check = try #require(try plugin.make(["consistency": "repeatable-read", "cycleBudget": 10]) as? TransactionCheck)
        #expect(check.consistency == "repeatable-read" && check.cycleBudget == 10)
    }

    @Test func aRepeatedValueOrANonTransactionIsAHistoryError() {
        var ops = [Op(index: 0, process: .client(0), type: .invoke, f: "txn", value: [["append", 1, 1]]),
                   Op(index: 1, process: .client(0), type: .ok, f: "txn", value: [["append", 1, 1]]),
                   Op(index: 2, process: .client(0), type: .invoke, f: "txn", value: [["append", 1, 1]]),
                   Op(index: 3, process: .client(0), type: .ok, f: "txn", value: [["append", 1, 1]])]
        let twice = TransactionCheck(listAppend: true).check(History(operations: ops))
        #expect(twice.verdict == .unknown)
        #expect(twice.historyError?.contains("appended to key 1 twice") == true)
        ops[2].f = "read"
        ops[3].f = "read"
        let notTxn = TransactionCheck(listAppend: true).check(History(operations: ops))
        #expect(notTxn.historyError?.contains("expected a transaction") == true)
    }

    @Test func aHugeComponentWithATinyBudgetStillFindsACycle() throws {
        // A ring of 600 write cycles through one key each: one big strongly connected component.
        var ops: [Op] = []
        let n = 600
        for t in 0..<n {
            let mops: JSONValue = .array([.array(["append", .int(Int64(t)), 1]), .array(["append", .int(Int64((t + 1) % n)), 2])])
            ops.append(Op(index: ops.count, process: .client(t), type: .invoke, f: "txn", value: mops))
        }
        for t in 0..<n {
            let mops: JSONValue = .array([.array(["append", .int(Int64(t)), 1]), .array(["append", .int(Int64((t + 1) % n)), 2])])
            ops.append(Op(index: ops.count, process: .client(t), type: .ok, f: "txn", value: mops))
        }
        // Key k holds [2 1]: T(k-1)'s 2 before T(k)'s 1, so T(k-1) < T(k) ... around the ring.
        var reads: [JSONValue] = []
        for k in 0..<n { reads.append(.array(["r", .int(Int64(k)), [2, 1]])) }
        ops.append(Op(index: ops.count, process: .client(n), type: .invoke, f: "txn", value: .array(reads.map { r in
            guard case .array(let p) = r else { return r }
            return .array([p[0], p[1], .null])
        })))
        ops.append(Op(index: ops.count, process: .client(n), type: .ok, f: "txn", value: .array(reads)))
        let outcome = TransactionCheck(listAppend: true, cycleBudget: 10).check(History(operations: ops))
        let r = try result(outcome)
        #expect(r.anomalyTypes.contains("G0"))
        #expect(outcome.verdict == .invalid)
        let g0 = try #require(r.anomalies.first { $0.kind == "G0" })
        #expect(g0.cycle?.nodes.count == n)
        // The prose stays bounded: the first transactions and edges, then counts.
        #expect(g0.prose.contains("… and \(n - TransactionCheck.maxShown) more transactions"))
        #expect(g0.prose.split(separator: "\n").count < 60)
    }
}
