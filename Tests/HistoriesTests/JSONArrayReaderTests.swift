import Testing
@testable import Histories

/// One JSON array of operation objects, as elle-cli and other tools write them, read from real files.
@Suite struct JSONArrayReaderTests {
    @Test func readsAnArrayOnOneLine() throws {
        let text = #"[{"process":0,"type":"invoke","f":"read","value":null},{"process":0,"type":"ok","f":"read","value":1.0,"time":12}]"#
        let history = try TempFile.with(text, suffix: ".json") { path in
            #expect(try HistoryReader.detectFormat(path: path) == .json)
            return try HistoryReader.read(path: path)
        }
        #expect(history.format == .json)
        #expect(history.operations == [
            Op(index: 0, process: .client(0), type: .invoke, f: "read"),
            Op(index: 1, time: 12, process: .client(0), type: .ok, f: "read", value: .int(1)),
        ])
    }

    /// Pretty-printed over many lines, with keys and indices (not checked: elle-cli's may skip),
    /// elle's list-append transactions (no `f`: `txn`), and a nemesis.
    @Test func readsAPrettyPrintedElleHistory() throws {
        let text = """
            [
              {"index": 3, "process": 0, "type": "invoke",
               "value": [["append", 5, 1], ["r", 5, null]]},
              {"index": 4, "process": "nemesis", "type": "info", "f": "start", "value": "partition {\\"n1\\": []}"},
              {"index": 9, "process": 0, "type": "ok",
               "value": [["append", 5, 1], ["r", 5, [1]]]},
              {"process": 1, "type": "invoke", "f": "read", "key": "k", "value": null},
              {"process": 1, "type": "ok", "f": "read", "key": "k", "value": 2}
            ]

            """
        let ops = try TempFile.with(text, suffix: ".json") { try HistoryReader.read(path: $0).operations }
        #expect(ops.map(\.index) == [0, 1, 2, 3, 4])
        #expect(ops[0] == Op(index: 0, process: .client(0), type: .invoke, f: "txn", value: .array([
            .array([.string("append"), .int(5), .int(1)]), .array([.string("r"), .int(5), .null]),
        ])))
        #expect(ops[1].process == .nemesis && ops[1].value == .string(#"partition {"n1": []}"#))
        #expect(ops[2].value == .array([.array([.string("append"), .int(5), .int(1)]), .array([.string("r"), .int(5), .array([.int(1)])])]))
        #expect(ops[4].key == "k" && ops[4].value == .int(2))
    }

    @Test func readsAnEmptyArray() throws {
        let history = try TempFile.with("[ ]\n", suffix: ".json") { try HistoryReader.read(path: $0, format: .json) }
        #expect(history.operations.isEmpty)
    }

    /// The same operations whatever the chunk size, across chunk boundaries inside objects and strings.
    @Test func streamsAcrossChunkBoundaries() throws {
        var items: [String] = []
        for i in 0..<300 {
            let value = String(repeating: "é\\\"", count: i % 13)
            items.append(#"{"process":\#(i % 7),"type":"invoke","f":"write","value":"\#(value)","key":"k\#(i)"}"#)
            items.append(#"{"process":\#(i % 7),"type":"ok","f":"write","value":"\#(value)","key":"k\#(i)"}"#)
        }
        let text = "[\n" + items.joined(separator: ",\n") + "\n]\n"
        try TempFile.with(text, suffix: ".json") { path in
            let whole = try HistoryReader.read(path: path).operations
            #expect(whole.count == 600)
            var streamed: [Op] = []
            // With the format named, nothing is read ahead for detection: every chunk boundary is met.
            _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 64), format: .json) { streamed.append($0) }
            #expect(streamed == whole)
        }
    }

    /// A malformed array: where the error must point, and words its message must contain.
    typealias Bad = EDNReaderTests.Bad

    static let bad: [Bad] = [
        Bad(text: "[{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"},\n {\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"val", line: 2, column: 38,
            words: ["unterminated string"]),
        Bad(text: "[{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"},\n {\"process\":0,\"type\":\"ok\",\"f\":\"read\"", line: 2, column: 37,
            words: ["expected ',' or '}'", "end of file"]),
        Bad(text: "[{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n", line: 2, column: 1,
            words: ["expected ',' or ']'", "array that starts at line 1, column 1", "end of file"]),
        Bad(text: "[{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"},]", line: 1, column: 43,
            words: ["expected '{' to start an operation object", "']'"]),
        Bad(text: "[{\"process\":0,\"type\":\"invoke\",\"f\":\"read\"} {\"process\":1}]", line: 1, column: 43,
            words: ["expected ',' or ']'", "'{'"]),
        Bad(text: "[1, 2]", line: 1, column: 2, words: ["expected '{' to start an operation object", "'1'"]),
        Bad(text: "[{\"process\":0,\"type\":\"done\",\"f\":\"read\"}]", line: 1, column: 22, words: ["unknown type \"done\""]),
        Bad(text: "[{\"type\":\"ok\",\"f\":\"read\"}]", line: 1, column: 25, words: ["missing required field \"process\""]),
        Bad(text: "[]\n[]", line: 2, column: 1, words: ["after the end of the array of operations"]),
        Bad(text: "", line: 1, column: 1, words: ["expected '[' to start a JSON array", "end of file"]),
    ]

    @Test(arguments: bad)
    func reportsWhereAnArrayIsMalformed(_ bad: Bad) throws {
        let error = try TempFile.with(bad.text, suffix: ".json") { path in
            let error = TempFile.readError(path, format: .json)
            #expect(error?.file == path)
            return error
        }
        #expect(error?.line == bad.line, "\(String(describing: error))")
        #expect(error?.column == bad.column, "\(String(describing: error))")
        for word in bad.words { #expect(error?.message.contains(word) == true, "\(String(describing: error))") }
    }
}
