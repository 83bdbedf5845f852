import Testing
@testable import Histories

/// The Jepsen console log reader (Porcupine's etcd test data) and format detection.
@Suite struct JepsenLogReaderTests {
    private func read(_ text: String) throws -> [Op] {
        Array(try HistoryReader.read(text: text, source: "t.log", format: .porcupineLog).operations)
    }

    @Test func readsOperationLines() throws {
        let ops = try read("""
            INFO  jepsen.util - 3\t:invoke\t:cas\t[4 4]
            INFO  jepsen.util - 3\t:fail\t:cas\t[4 4]
            INFO  jepsen.util - 0\t:invoke\t:read\tnil
            INFO  jepsen.util - 0\t:ok\t:read\tnil
            INFO  jepsen.util - 1\t:invoke\t:write\t2
            INFO  jepsen.util - 1\t:info\t:write\t:timed-out
            """)
        #expect(ops == [
            Op(index: 0, process: .client(3), type: .invoke, f: "cas", value: .array([.int(4), .int(4)])),
            Op(index: 1, process: .client(3), type: .fail, f: "cas", value: .array([.int(4), .int(4)])),
            Op(index: 2, process: .client(0), type: .invoke, f: "read"),
            Op(index: 3, process: .client(0), type: .ok, f: "read"),
            Op(index: 4, process: .client(1), type: .invoke, f: "write", value: .int(2)),
            Op(index: 5, process: .client(1), type: .info, f: "write", error: "timed-out"),
        ])
    }

    @Test func toleratesPrefixesOtherLoggersAndBlankLines() throws {
        let ops = try read("""
            2017-03-01 10:00:00,123{GMT}\tINFO\t[jepsen worker 3] jepsen.util: 3\t:invoke\t:read\tnil

            INFO  jepsen.core - Running test
            2017-03-01 10:00:01,000 WARN  [main] jepsen.control - retrying ssh
            INFO  jepsen.util - :nemesis\t:info\t:start\t"Cut off {:n1 #{:n2}}"
            INFO  jepsen.util - 3\t:fail\t:read\tnil\t:not-found
            """)
        #expect(ops.count == 3)
        #expect(ops[0].process == .client(3) && ops[0].type == .invoke)
        #expect(ops[1] == Op(index: 1, process: .nemesis, type: .info, f: "start", value: .string("Cut off {:n1 #{:n2}}")))
        #expect(ops[2].error == "not-found" && ops[2].value == .null)
    }

    struct Bad: Sendable, CustomStringConvertible {
        var text: String
        var column: Int
        var words: [String]
        var description: String { text }
    }

    static let bad: [Bad] = [
        Bad(text: "INFO  jepsen.util - 3\t:done\t:read\tnil", column: 23, words: ["unknown type ':done'", ":invoke, :ok, :fail or :info"]),
        Bad(text: "INFO  jepsen.util - x\t:ok\t:read\tnil", column: 21, words: ["expected a process number"]),
        Bad(text: "INFO  jepsen.util - 3\t:ok\t:read", column: 32, words: ["expected a value after the function :read", "end of line", "cut off"]),
        Bad(text: "INFO  jepsen.util - 3\t:o", column: 23, words: ["unknown type ':o'"]),
        Bad(text: "INFO  jepsen.util - 3", column: 22, words: ["expected the type", "cut off"]),
        Bad(text: "INFO  jepsen.util - 3   :ok   :cas   [4 4", column: 42, words: ["unexpected end of file", "']'"]),
        Bad(text: "INFO  jepsen.util - 3 :ok :cas [4 4]x", column: 37, words: ["unexpected 'x' after the value"]),
        Bad(text: "3\t:ok\t:write\t{:a", column: 17, words: ["unexpected end of file", "'}'"]),
        Bad(text: "INFO  jepsen.util - 3\t:ok\t:cas\t[4 4", column: 36, words: ["unexpected end of file", "']'"]),
        Bad(text: "INFO  jepsen.util - 3\t:ok\t:cas\t4 4", column: 34, words: ["after the value"]),
    ]

    @Test(arguments: bad)
    func reportsWhereALineIsMalformed(_ bad: Bad) {
        let good = "INFO  jepsen.util - 0\t:invoke\t:read\tnil"
        do {
            _ = try HistoryReader.read(text: "\(good)\n\(bad.text)\n\(good)\n", source: "bad.log", format: .porcupineLog)
            Issue.record("accepted: \(bad.text)")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == bad.column, "\(error)")
            for word in bad.words { #expect(error.message.contains(word), "\(error.message)") }
        }
    }

    @Test func detectsFormats() {
        func detect(_ text: String) -> HistoryFormat? { HistoryReader.detectFormat(bytes: Array(text.utf8)) }
        #expect(detect("{\"index\":0,\"process\":1}") == .jsonl)
        #expect(detect("\n\n  {\"process\":1}") == .jsonl)
        #expect(detect("") == .jsonl)
        #expect(detect("; comment\n[{:process 1}]") == .edn)
        #expect(detect("({:process 1})") == .edn)
        #expect(detect("{:process 1,\n :type :ok}") == .edn)
        #expect(detect("{:process 4, :type :ok, :f :get, :key \"5\", :value \"x\"}\n") == .porcupineKV)
        #expect(detect("{:process 4, :key \"5\"}  \r\n{:process 4}") == .porcupineKV)
        #expect(detect("{:process 4, :key \"5\"") == .edn)  // not a whole map on the line
        #expect(detect("{:process 4, :keys 1}") == .edn)
        #expect(detect("{:key}") == .edn)
        #expect(detect("{:a}") == .edn)
        #expect(detect("INFO  jepsen.util - 0\t:invoke\t:read\tnil\n") == .porcupineLog)
        #expect(detect("2017-01-01 INFO  jepsen.util - 0\t:invoke\t:read\tnil\n") == .porcupineLog)
        #expect(detect("hello world") == nil)
        #expect(throws: HistoryError.self) { try HistoryReader.read(text: "hello world") }
        #expect(throws: HistoryError.self) { try HistoryReader.read(path: "/nonexistent/history.jsonl") }
    }
}
