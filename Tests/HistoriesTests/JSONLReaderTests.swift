import Testing
@testable import Histories

/// The native JSON Lines reader: fields, escapes, numbers, and where errors point.
@Suite struct JSONLReaderTests {
    private func read(_ text: String) throws -> [Op] {
        Array(try HistoryReader.read(text: text, source: "t.jsonl", format: .jsonl).operations)
    }

    @Test func readsEveryKnownField() throws {
        let ops = try read("""
            {"index":0,"time":1200450,"process":3,"type":"invoke","f":"cas","key":"k7","value":[1,4],"node":"n1"}
            {"index":1,"time":1900113,"process":"nemesis","type":"info","f":"partition","value":{"n1":["n4","n5"]}}
            {"index":2,"time":2300776,"process":3,"type":"ok","f":"cas","key":"k7","value":[1,4]}
            {"index":3,"time":2400000,"process":5,"type":"info","f":"read","key":"k2","value":null,"error":"timeout after 1s"}
            """)
        #expect(ops.count == 4)
        #expect(ops[0] == Op(index: 0, time: 1200450, process: .client(3), type: .invoke, f: "cas",
                                    key: "k7", value: .array([.int(1), .int(4)]), node: "n1"))
        #expect(ops[1].process == .nemesis)
        #expect(ops[1].value == .object(["n1": .array([.string("n4"), .string("n5")])]))
        #expect(ops[2].type == .ok)
        #expect(ops[3].type == .info && ops[3].error == "timeout after 1s" && ops[3].value == .null)
    }

    @Test func assignsIndicesWhenAbsentAndSkipsBlankLines() throws {
        let ops = try read("\n  \n{\"process\":1,\"type\":\"invoke\",\"f\":\"read\"}\r\n\r\n{\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"value\":3}")
        #expect(ops.map(\.index) == [0, 1])
        #expect(ops[1].value == .int(3))
        #expect(ops[0].time == nil && ops[0].key == nil && ops[0].value == .null)
    }

    @Test func keepsNumericKeysAsTheirDecimalText() throws {
        let ops = try read("""
            {"process":1,"type":"invoke","f":"get","key":12}
            {"process":2,"type":"invoke","f":"get","key":1.50}
            {"process":3,"type":"invoke","f":"get","key":null}
            """)
        #expect(ops.map(\.key) == ["12", "1.50", nil])
    }

    @Test func turnsNonStringErrorsIntoCompactJSON() throws {
        let ops = try read(#"{"process":1,"type":"fail","f":"w","error":{"code":5,"b":[true,null]}}"#)
        #expect(ops[0].error == #"{"b":[true,null],"code":5}"#)
    }

    @Test func keepsUnknownFieldsInExtra() throws {
        let ops = try read(#"{"process":1,"zeta":{"a":[]},"type":"ok","f":"w","latency_ns":1500,"tag":"x"}"#)
        #expect(ops[0].extra == ["zeta": .object(["a": .array([])]), "latency_ns": .int(1500), "tag": .string("x")])
    }

    @Test func decodesStringEscapesAndSurrogatePairs() throws {
        let ops = try read(#"{"process":1,"type":"ok","f":"w","value":"\u00e9\ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t é😀","k\u0065y":"a"}"#)
        #expect(ops[0].value == .string("é😀 \"q\" \\ / \u{08}\u{0C}\n\r\t é😀"))
        #expect(ops[0].key == "a", "a field name written with escapes is still recognised")
    }

    @Test func readsNumbers() throws {
        let ops = try read(#"{"process":-2,"type":"ok","f":"w","value":[0,-0,9223372036854775807,-9223372036854775808,9223372036854775808,1.5,-2e3,1E+2]}"#)
        #expect(ops[0].process == .client(-2))
        #expect(ops[0].value == .array([.int(0), .int(0), .int(.max), .int(.min), .double(9223372036854775808),
                                        .double(1.5), .int(-2000), .int(100)]))
    }

    /// Integral numbers are integers however they are written, below 2^53 in magnitude.
    @Test func readsIntegralDoublesAsIntegers() throws {
        let ops = try read(#"{"process":1,"type":"ok","f":"w","value":[1.0,-0.0,2.50e1,1e15,9007199254740991.0,9007199254740992.0,1e300,0.5,1.000001]}"#)
        #expect(ops[0].value == .array([.int(1), .int(0), .int(25), .int(1_000_000_000_000_000), .int(9_007_199_254_740_991),
                                        .double(9_007_199_254_740_992), .double(1e300), .double(0.5), .double(1.000001)]))
    }

    /// One malformed line, where the error must point, and words its message must contain.
    struct Bad: Sendable, CustomStringConvertible {
        var text: String
        var column: Int
        var words: [String]
        var description: String { text }
    }

    static let badLines: [Bad] = [
        Bad(text: #"{"process":1,"type":"ok","f":"put" "key":"a"}"#, column: 36, words: [#"expected ',' or '}' after field "f""#]),
        Bad(text: #"{"process":1,"type":"done","f":"put"}"#, column: 21, words: [#"unknown type "done"; expected invoke, ok, fail or info"#]),
        Bad(text: #"{"type":"ok","f":"put"}"#, column: 23, words: [#"missing required field "process""#]),
        Bad(text: #"{"process":1,"f":"put"}"#, column: 23, words: [#"missing required field "type""#]),
        Bad(text: #"{"process":1,"type":"ok"}"#, column: 25, words: [#"missing required field "f""#]),
        Bad(text: #"[1,2]"#, column: 1, words: ["expected '{' to start an operation", "'['"]),
        Bad(text: #"{"process":1,"type":"ok","f":"put","value":[1,2}"#, column: 48, words: ["expected ',' or ']'", "column 44"]),
        Bad(text: #"{"process":1,"type":"ok","f":"put","value":"abc}"#, column: 44, words: ["unterminated string"]),
        Bad(text: #"{"process":1,"type":"ok","f":"put","value":"\x"}"#, column: 45, words: ["invalid escape '\\x'"]),
        Bad(text: #"{"process":1,"type":"ok","f":"put","value":"\ud83d"}"#, column: 45, words: ["unpaired surrogate"]),
        Bad(text: #"{"process":1,"type":"ok","f":"put","value":01}"#, column: 45, words: ["leading zero"]),
        Bad(text: #"{"process":1,"type":"ok","f":"put","value":tru}"#, column: 44, words: ["expected a JSON value", "'t'"]),
        Bad(text: #"{"process":1.5,"type":"ok","f":"put"}"#, column: 12, words: [#"expected an integer for field "process""#, "1.5"]),
        Bad(text: #"{"process":[1],"type":"ok","f":"put"}"#, column: 12, words: [#"field "process""#, "an array"]),
        Bad(text: #"{"process":1,"type":"ok","f":7}"#, column: 30, words: [#"expected a string for field "f""#, "a number"]),
        Bad(text: #"{"process":1,"process":2,"type":"ok","f":"put"}"#, column: 14, words: [#"duplicate field "process""#]),
        Bad(text: #"{"process":1,"type":"ok","f":"put"} x"#, column: 37, words: ["after the end of the operation"]),
        Bad(text: #"{"process":1,"type":"ok","f":"put","#, column: 36, words: ["expected '\"' to start a field name", "end of line"]),
        Bad(text: #"{"process" 1}"#, column: 12, words: [#"expected ':' after field name "process""#]),
        Bad(text: #"{"index":7,"process":1,"type":"ok","f":"put"}"#, column: 10, words: ["index 7", "position 1"]),
        Bad(text: #"{"process":1,"type":"ok","f":"é","value":"x" ,, }"#, column: 47, words: [#"expected '"' to start a field name"#, "','"]),
    ]

    @Test(arguments: badLines)
    func reportsWhereALineIsMalformed(_ bad: Bad) {
        let good = #"{"process":0,"type":"invoke","f":"read"}"#
        do {
            _ = try HistoryReader.read(text: "\(good)\n\n\(bad.text)\n\(good)\n", source: "bad.jsonl", format: .jsonl)
            Issue.record("accepted: \(bad.text)")
        } catch {
            #expect(error.file == "bad.jsonl")
            #expect(error.line == 3)
            #expect(error.column == bad.column, "\(error)")
            for word in bad.words { #expect(error.message.contains(word), "\(error.message)") }
        }
    }

    @Test func reportsTheIndexOfTheOperationNotOfTheLine() throws {
        // Blank lines do not count: the second operation has index 1.
        let ops = try read("{\"index\":0,\"process\":0,\"type\":\"invoke\",\"f\":\"r\"}\n\n{\"index\":1,\"process\":0,\"type\":\"ok\",\"f\":\"r\"}\n")
        #expect(ops.map(\.index) == [0, 1])
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(throws: HistoryError(file: "t.jsonl", line: 1, column: 31, message: #"unknown type "é"; expected invoke, ok, fail or info"#)) {
            try HistoryReader.read(text: #"{"f":"ééé","process":1,"type":"é"}"#, source: "t.jsonl", format: .jsonl)
        }
    }

    @Test func streamsAcrossChunkBoundaries() throws {
        var lines: [String] = []
        for i in 0..<500 {
            lines.append(#"{"index":\#(i),"process":\#(i % 7),"type":"ok","f":"put","key":"k\#(i)","value":"\#(String(repeating: "x", count: i % 97))"}"#)
        }
        let text = lines.joined(separator: "\n")
        let whole = try HistoryReader.read(text: text, format: .jsonl).operations
        let path = try TempFile.write(text, suffix: ".jsonl")
        defer { TempFile.remove(path) }
        var streamed: [Op] = []
        _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 64), format: nil) { streamed.append($0) }
        #expect(streamed == whole)
        #expect(whole.count == 500)
    }
}
