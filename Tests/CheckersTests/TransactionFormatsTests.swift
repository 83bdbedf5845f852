import Basics
import Checkers
import Histories
import Testing

/// The three spellings of a transactional history (Jepsen EDN, elle-cli's JSON array, Schism's
/// JSON Lines) read the same and give the same anomaly.
struct TransactionFormatsTests {
    /// A write skew: T0 sets keys 1 and 2, then T1 and T2 each read both and append to one.
    static let edn = """
        [{:process 0, :type :invoke, :f :txn, :value [[:append 1 1] [:append 2 1]]}
         {:process 0, :type :ok, :f :txn, :value [[:append 1 1] [:append 2 1]]}
         {:process 1, :type :invoke, :f :txn, :value [[:r 1 nil] [:r 2 nil] [:append 1 2]]}
         {:process 2, :type :invoke, :f :txn, :value [[:r 1 nil] [:r 2 nil] [:append 2 2]]}
         {:process 1, :type :ok, :f :txn, :value [[:r 1 [1]] [:r 2 [1]] [:append 1 2]]}
         {:process 2, :type :ok, :f :txn, :value [[:r 1 [1]] [:r 2 [1]] [:append 2 2]]}
         {:process :nemesis, :type :info, :f :start, :value nil}]
        """
    static let json = """
        [{"process":0,"type":"invoke","value":[["append",1,1],["append",2,1]]},
         {"process":0,"type":"ok","value":[["append",1,1],["append",2,1]]},
         {"process":1,"type":"invoke","value":[["r",1,null],["r",2,null],["append",1,2]]},
         {"process":2,"type":"invoke","value":[["r",1,null],["r",2,null],["append",2,2]]},
         {"process":1,"type":"ok","value":[["r",1,[1]],["r",2,[1]],["append",1,2]]},
         {"process":2,"type":"ok","value":[["r",1,[1]],["r",2,[1]],["append",2,2]]}]
        """
    static let jsonl = """
        {"index":0,"process":0,"type":"invoke","f":"txn","value":[["append",1,1],["append",2,1]]}
        {"index":1,"process":0,"type":"ok","f":"txn","value":[["append",1,1],["append",2,1]]}
        {"index":2,"process":1,"type":"invoke","f":"txn","value":[["r",1,null],["r",2,null],["append",1,2]]}
        {"index":3,"process":2,"type":"invoke","f":"txn","value":[["r",1,null],["r",2,null],["append",2,2]]}
        {"index":4,"process":1,"type":"ok","f":"txn","value":[["r",1,[1]],["r",2,[1]],["append",1,2]]}
        {"index":5,"process":2,"type":"ok","f":"txn","value":[["r",1,[1]],["r",2,[1]],["append",2,2]]}

        """

    @Test(arguments: [("edn", edn), ("json", json), ("jsonl", jsonl)])
    func everyFormatGivesTheWriteSkew(_ name: String, _ text: String) throws {
        let history = try HistoryReader.read(text: text, source: "h.\(name)")
        #expect(history.format.rawValue == name)
        let txns = try TxnHistory(history: history, listAppend: true)
        #expect(txns.count == 3)
        #expect(txns.text(1) == "T1 (operation 2, process 1, ok): [r 1 [1]] [r 2 [1]] [append 1 2]")
        let ser = TransactionCheck(listAppend: true, consistency: "serializable").check(history)
        #expect(ser.verdict == .invalid)
        #expect(ser.findings.map(\.kind) == ["G2-item"])
        #expect(TransactionCheck(listAppend: true, consistency: "snapshot-isolation").check(history).verdict == .valid)
    }

    @Test func stringKeysAndRegisterReads() throws {
        let text = """
            [{:process 0, :type :invoke, :f :txn, :value [[:w "x" 1]]}
             {:process 0, :type :ok, :f :txn, :value [[:w "x" 1]]}
             {:process 1, :type :invoke, :f :txn, :value [[:r "x" nil]]}
             {:process 1, :type :ok, :f :txn, :value [[:r "x" nil]]}]
            """
        let history = try HistoryReader.read(text: text, source: "h.edn")
        let outcome = TransactionCheck(listAppend: false).check(history)
        #expect(outcome.findings.map(\.kind) == ["G-single-item-realtime"])
        #expect(outcome.findings.first?.prose.contains("[r x nil]") == true)
    }

    @Test func aMalformedMicroOperationIsNamed() throws {
        let text = """
            [{"process":0,"type":"invoke","value":[["append",1]]},
             {"process":0,"type":"ok","value":[["append",1]]}]
            """
        let outcome = TransactionCheck(listAppend: true).check(try HistoryReader.read(text: text, source: "h.json"))
        #expect(outcome.verdict == .unknown)
        #expect(outcome.historyError?.contains("expected a micro-operation [fn, key, value], found [\"append\",1]") == true)
        let register = TransactionCheck(listAppend: true).check(try HistoryReader.read(text: Self.jsonl.replacingOccurrences(of: "append", with: "w"), source: "h.jsonl"))
        #expect(register.historyError?.contains("unknown micro-operation \"w\"") == true)
    }
}
