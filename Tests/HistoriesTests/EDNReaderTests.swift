import Basics
import Testing
@testable import Histories

/// The EDN reader: the value subset, op maps, both layouts, and where errors point.
@Suite struct EDNReaderTests {
    private func read(_ text: String) throws -> [Op] {
        Array(try HistoryReader.read(text: text, source: "t.edn", format: .edn).operations)
    }

    private func value(_ edn: String) throws -> JSONValue {
        try read("[{:process 0, :type :ok, :f :x, :value \(edn)}]")[0].value
    }

    @Test func readsScalars() throws {
        #expect(try value("nil") == .null)
        #expect(try value("true") == .bool(true))
        #expect(try value("false") == .bool(false))
        #expect(try value("-42") == .int(-42))
        #expect(try value("+7") == .int(7))
        #expect(try value("42N") == .int(42))
        #expect(try value("123456789012345678901234567890N") == .double(1.2345678901234568e29))
        #expect(try value("1.5") == .double(1.5))
        #expect(try value("2.5M") == .double(2.5))
        #expect(try value("-1e3") == .double(-1000))
        #expect(try value("1/4") == .double(0.25))
        #expect(try value(#""a\"b\\c\nd\te\u00e9""#) == .string("a\"b\\c\nd\teé"))
        #expect(try value("\"multi\nline\"") == .string("multi\nline"))
        #expect(try value(#"\a"#) == .string("a"))
        #expect(try value(#"\newline"#) == .string("\n"))
        #expect(try value(#"\space"#) == .string(" "))
        #expect(try value(#"\u00e9"#) == .string("é"))
        #expect(try value(":ok") == .string("ok"))
        #expect(try value(":a/b") == .string("a/b"))
        #expect(try value("some-symbol") == .string("some-symbol"))
        #expect(try value("##Inf") == .double(.infinity))
    }

    @Test func readsCollections() throws {
        #expect(try value("[:read :x nil]") == .array([.string("read"), .string("x"), .null]))
        #expect(try value("[[:read :x nil] [:write :y 2]]") == .array([
            .array([.string("read"), .string("x"), .null]), .array([.string("write"), .string("y"), .int(2)]),
        ]))
        #expect(try value("(1 2)") == .array([.int(1), .int(2)]))
        #expect(try value("#{3}") == .array([.int(3)]))
        #expect(try value("{:x 0, \"y\" 1, 5 2}") == .object(["x": .int(0), "y": .int(1), "5": .int(2)]))
        #expect(try value("[]") == .array([]))
        #expect(try value("{}") == .object([:]))
    }

    @Test func skipsCommentsDiscardsAndTags() throws {
        #expect(try value("[1 #_ 2 3]") == .array([.int(1), .int(3)]))
        #expect(try value("[1 #_ [2 [3]] ; comment ]\n 4]") == .array([.int(1), .int(4)]))
        #expect(try value(#"#inst "2024-01-02T03:04:05Z""#) == .string("2024-01-02T03:04:05Z"))
        #expect(try value(#"#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6""#) == .string("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"))
        #expect(try value("[1,,,2]") == .array([.int(1), .int(2)]))
    }

    @Test func mapsOpFields() throws {
        let ops = try read("""
            ; leading comment
            [{:process 4, :type :invoke, :f :write, :value 2, :time 12, :index 99, :node "n1", :key 5}
             {:process :nemesis, :type :info, :f :start, :value "Cut off [:n3 #{:n4}]"}
             {:process "w", :type :fail, :f :release, :error [:not-found "etcdserver: requested lease not found"]}
             {:process 4, :type :ok, :f :write, :value 2, :key 5, :error :timeout, :extra-thing {:a [1 2]}}
             {:type :invoke :process 2 :f "read"}]
            """)
        #expect(ops.map(\.index) == [0, 1, 2, 3, 4], ":index is ignored: indices are positions")
        #expect(ops[0] == Op(index: 0, time: 12, process: .client(4), type: .invoke, f: "write", key: "5",
                                    value: .int(2), node: "n1"))
        #expect(ops[1].process == .nemesis && ops[1].value == .string("Cut off [:n3 #{:n4}]"))
        #expect(ops[2].process == .named("w"))
        #expect(ops[2].error == #"[:not-found "etcdserver: requested lease not found"]"#)
        #expect(ops[2].value == .null)
        #expect(ops[3].error == "timeout")
        #expect(ops[3].extra == ["extra-thing": .object(["a": .array([.int(1), .int(2)])])])
        #expect(ops[4].f == "read")
    }

    @Test func readsAListAndOneMapPerLine() throws {
        let list = try read("({:process 0, :type :invoke, :f :read}\n {:process 0, :type :ok, :f :read, :value 3}\n)\n")
        #expect(list.count == 2)
        let text = """
            {:process 4, :type :invoke, :f :get, :key "5", :value nil}
            {:process 4, :type :ok, :f :get, :key "5", :value "x 9 1 y"}

            """
        #expect(HistoryReader.detectFormat(bytes: Array(text.utf8)) == .porcupineKV)
        let kv = try HistoryReader.read(text: text)
        #expect(kv.format == .porcupineKV)
        #expect(kv.operations.map(\.value) == [.null, .string("x 9 1 y")])
        #expect(try read("").isEmpty)
        #expect(try read("[]").isEmpty)
    }

    /// A malformed EDN history, where the error must point, and words its message must contain.
    struct Bad: Sendable, CustomStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var words: [String]
        var description: String { text }
    }

    static let bad: [Bad] = [
        Bad(text: "[{:process 1, :type :invoke, :f :read}\n {:process 1, :type :ok, :f", line: 2, column: 28,
            words: ["unexpected end of file", "'}' to close the map", "the map starts at line 2, column 2"]),
        Bad(text: "[{:process 1, :type :invoke, :f :read}\n", line: 2, column: 1,
            words: ["unexpected end of file", "']' to close the vector of operations", "starts at line 1, column 1"]),
        Bad(text: "[{:process 1, :type :invoke, :f :read, :value \"abc}]\n", line: 2, column: 1,
            words: ["end of file in a string", "the string starts at line 1, column 47"]),
        Bad(text: "[{:process 1, :type :invoke, :f :read]\n", line: 1, column: 38,
            words: ["unexpected ']'", "'}' to close the map", "the map starts at line 1, column 2"]),
        Bad(text: "[{:process 1, :type :invoke, :f}]", line: 1, column: 32, words: ["key without a value"]),
        Bad(text: "[{:process 1, :type :done, :f :read}]", line: 1, column: 2,
            words: ["unknown :type :done", "expected :invoke, :ok, :fail or :info"]),
        Bad(text: "[{:type :ok, :f :read}]", line: 1, column: 2, words: ["no :process"]),
        Bad(text: "[{:process 1, :f :read}]", line: 1, column: 2, words: ["no :type"]),
        Bad(text: "[{:process 1, :type :ok}]", line: 1, column: 2, words: ["no :f"]),
        Bad(text: "[\n  [:process 1]]", line: 2, column: 3, words: ["expected an operation map", "a vector"]),
        Bad(text: "[{:process 1, :type :ok, :f :read, :time \"x\"}]", line: 1, column: 2, words: [":time"]),
        Bad(text: "[{:process 1, :type :ok, :f :read}] extra", line: 1, column: 37, words: ["after the end of the vector"]),
        Bad(text: "hello", line: 1, column: 1, words: ["expected '[' or '('", "'h'"]),
        Bad(text: "[{:process 1, :type :ok, :f :read, :value 12abc}]", line: 1, column: 43, words: ["invalid number '12abc'"]),
        Bad(text: "[{:process 1, :type :ok, :f :read, :value \\bogus}]", line: 1, column: 43, words: ["unknown character name"]),
    ]

    @Test(arguments: bad)
    func reportsWhereAHistoryIsMalformed(_ bad: Bad) {
        do {
            let ops = try HistoryReader.read(text: bad.text, source: "bad.edn", format: .edn)
            Issue.record("accepted \(ops.operations.count) operations")
        } catch {
            #expect(error.file == "bad.edn")
            #expect(error.line == bad.line, "\(error)")
            #expect(error.column == bad.column, "\(error)")
            for word in bad.words { #expect(error.message.contains(word), "\(error.message)") }
        }
    }

    @Test func rejectsDeepNestingInsteadOfCrashing() {
        for deep in [String(repeating: "[", count: 100_000), String(repeating: "#_ ", count: 100_000) + "1",
                     String(repeating: "#x ", count: 100_000) + "1"] {
            #expect(throws: HistoryError.self) { try read("[{:process 0, :type :ok, :f :x, :value \(deep)}]") }
        }
        #expect(throws: HistoryError.self) {
            try HistoryReader.read(text: "{\"process\":0,\"type\":\"ok\",\"f\":\"x\",\"value\":\(String(repeating: "[", count: 100_000))}", format: .jsonl)
        }
    }

    @Test func streamsAcrossChunkBoundaries() throws {
        var text = "; many ops\n[\n"
        for i in 0..<400 {
            text += "{:process \(i % 5), :type :ok, :f :write, :value [\(i) \"\(String(repeating: "é", count: i % 50))\"], :index \(i)}\n"
        }
        text += "]\n"
        let whole = try HistoryReader.read(text: text, format: .edn).operations
        let path = try TempFile.write(text, suffix: ".edn")
        defer { TempFile.remove(path) }
        var streamed: [Op] = []
        _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 64), format: nil) { streamed.append($0) }
        #expect(whole.count == 400)
        #expect(streamed == whole)
    }

    @Test func reportsTheRightLineAfterManyChunks() throws {
        var text = "[\n"
        for i in 0..<300 { text += "{:process \(i), :type :invoke, :f :read}\n" }
        text += "{:process 1, :type :bogus, :f :read}\n]"
        let path = try TempFile.write(text, suffix: ".edn")
        defer { TempFile.remove(path) }
        #expect(throws: HistoryError(file: path, line: 302, column: 1, message: "unknown :type :bogus; expected :invoke, :ok, :fail or :info")) {
            _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 64), format: nil) { _ in }
        }
    }
}
