import Redis
import Testing

/// The RESP2 codec, without a server.
struct RESPTests {
    @Test func encodesACommandAsAnArrayOfBulkStrings() {
        #expect(RESP.encode(command: ["SET", "k", "12"]) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n".utf8))
        #expect(RESP.encode(command: ["GET", "é"]) == Array("*2\r\n$3\r\nGET\r\n$2\r\né\r\n".utf8))
    }

    @Test func decodesEveryType() throws {
        let cases: [(String, RESPValue)] = [
            ("+OK\r\n", .simpleString("OK")),
            ("-READONLY You can't write against a read only replica.\r\n", .error("READONLY You can't write against a read only replica.")),
            (":-42\r\n", .integer(-42)),
            ("$3\r\n1\r2\r\n", .bulkString(Array("1\r2".utf8))),
            ("$0\r\n\r\n", .bulkString([])),
            ("$-1\r\n", .bulkString(nil)),
            ("*-1\r\n", .array(nil)),
            ("*0\r\n", .array([])),
            ("*2\r\n$8\r\n10.0.0.1\r\n$4\r\n6379\r\n", .array([.bulkString(Array("10.0.0.1".utf8)), .bulkString(Array("6379".utf8))])),
            ("*2\r\n*1\r\n:1\r\n+x\r\n", .array([.array([.integer(1)]), .simpleString("x")])),
        ]
        for (text, expected) in cases {
            let bytes = Array(text.utf8)
            let decoded = try #require(try RESP.decode(bytes), "\(text.debugDescription) incomplete")
            #expect(decoded.0 == expected, "\(text.debugDescription)")
            #expect(decoded.1 == bytes.count, "\(text.debugDescription) consumed \(decoded.1) of \(bytes.count)")
        }
    }

    @Test func incompleteInputNeedsMoreData() throws {
        let whole = Array("*2\r\n$8\r\n10.0.0.1\r\n$4\r\n6379\r\n".utf8)
        for cut in 0..<whole.count {
            #expect(try RESP.decode(Array(whole[..<cut])) == nil, "prefix of \(cut) bytes decoded")
        }
        // Two answers back to back: the first ends where the second begins.
        let two = Array("+OK\r\n:7\r\n".utf8)
        let first = try #require(try RESP.decode(two))
        #expect(first.1 == 5)
        #expect(try RESP.decode(two, from: first.1)?.0 == .integer(7))
    }

    @Test func malformedInputIsRefusedWithItsOffset() {
        let bad = ["?x\r\n", ":12a\r\n", "$5\r\nab\r\nxyz", "$-2\r\n", "*-3\r\n", "+a\rb\r\n", "+a\n", "$\(RESP.maxBulkBytes + 1)\r\n"]
        for text in bad {
            #expect(throws: RESP.Malformed.self, "\(text.debugDescription)") { try RESP.decode(Array(text.utf8)) }
        }
        let deep = String(repeating: "*1\r\n", count: RESP.maxDepth + 2) + ":1\r\n"
        #expect(throws: RESP.Malformed.self) { try RESP.decode(Array(deep.utf8)) }
        let long = Array(("+" + String(repeating: "a", count: RESP.maxLineBytes + 10)).utf8)
        #expect(throws: RESP.Malformed.self) { try RESP.decode(long) }
        do {
            _ = try RESP.decode(Array("$5\r\nab\r\nxyz".utf8))
        } catch {
            #expect(error.offset == 9, "\(error)")
            #expect(error.description.contains("not followed by CRLF"))
        }
    }

    @Test func summariesAreBounded() {
        let big = RESPValue.bulkString(Array(repeating: 65, count: 10_000))
        #expect(big.summary.count < 300)
        #expect(RESPValue.array(Array(repeating: .integer(1), count: 50)).summary.hasSuffix(", …]"))
        #expect(RESPValue.bulkString(nil).text == nil)
        #expect(RESPValue.simpleString("PONG").text == "PONG")
    }
}
