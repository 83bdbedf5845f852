import Basics
import Testing
@testable import Histories

/// The compact op store: every field and value comes back as appended, across chunks; and the
/// JSON Lines reader's batches (decoded on another thread) keep order, positions and errors.
@Suite struct OpLogTests {
    /// Operations that exercise every storage path: inline, arena and side-table values,
    /// interned names, named and unusual processes, rare fields.
    static let varied: [Op] = {
        let values: [JSONValue] = [
            .null, .bool(true), .bool(false), .int(0), .int(-1), .int(.max), .int(.min), .double(1.5), .double(-0.0),
            .string(""), .string("v1234567"), .string("v12345678"), .string("a\u{0}b"), .string("héllo wörld, ünïcode ✓"),
            .string(String(repeating: "x", count: 5_000)), .array([.int(1), .int(2)]), .array([.int(1), .int(Int64(Int32.max) + 1)]),
            .array([.int(-3), .null]), .array([]), .object(["value": .int(3), "version": .int(9)]),
        ]
        let processes: [ProcessID] = [.client(0), .client(7), .client(Int(Int32.max)), .client(-2), .client(Int(Int32.max) + 5), .nemesis, .named("gc")]
        var ops: [Op] = []
        for (k, value) in values.enumerated() {
            for (p, process) in processes.enumerated() {
                let i = ops.count
                ops.append(Op(
                    index: i, time: i % 3 == 0 ? nil : Int64(i) * 1_000, process: process, type: OpType.allCases[(k + p) % 4],
                    f: ["read", "write", "cas", "f-\(k)"][p % 4], key: p % 3 == 0 ? nil : "key-\(k % 5)", value: value,
                    error: p == 2 ? "timed out" : nil, node: p % 2 == 0 ? "n\(p)" : nil,
                    extra: p == 4 ? ["version": .int(Int64(k)), "note": .string("x")] : [:]))
            }
        }
        return ops
    }()

    @Test func everyFieldComesBackAsAppended() {
        let log = OpLog(Self.varied)
        #expect(log.count == Self.varied.count)
        for (i, op) in Self.varied.enumerated() {
            #expect(log[i] == op, "operation \(i)")
            #expect(log.value(i) == op.value)
            #expect(log.type(i) == op.type)
            #expect(log.process(at: i) == op.process)
            if case .client(let n) = op.process { #expect(log.clientProcess(i) == n) } else { #expect(log.clientProcess(i) == nil) }
            #expect(log.keyName(log.keyID(i)) == op.key)
            #expect(log.functionName(log.functionID(i)) == op.f)
            let fields = log.fields(i)
            #expect(log.value(fields) == op.value && fields.keyID == log.keyID(i) && fields.functionID == log.functionID(i))
        }
        #expect(log == Self.varied)
    }

    /// Keys are interned by their bytes: many keys (past the scan and through table growth)
    /// keep their ids, and two spellings of "é" (composed, decomposed) are two keys.
    @Test func keysAreInternedByTheirBytes() {
        let names = (0..<5_000).map { "k\($0)" } + ["\u{E9}", "e\u{301}", "", String(repeating: "long key ", count: 9)]
        var log = OpLog()
        for (i, name) in (names + names.reversed()).enumerated() {
            log.append(Op(index: i, process: .client(1), type: .invoke, f: "get", key: name))
        }
        #expect(log.keyCount == names.count)
        for (i, name) in names.enumerated() {
            #expect(log.keyID(i) == log.keyID(2 * names.count - 1 - i))
            #expect(Array(log.keyName(log.keyID(i))?.utf8 ?? "-".utf8) == Array(name.utf8))
        }
        let composed = names.count - 4
        #expect(log.keyID(composed) != log.keyID(composed + 1))
    }

    @Test func chunksAndReplacement() {
        var ops: [Op] = []
        for i in 0..<(2 * OpLog.chunkSize + 17) {
            ops.append(Op(index: i, time: Int64(i), process: .client(i % 13), type: i % 2 == 0 ? .invoke : .ok, f: "write",
                          key: "k\(i % 100)", value: .string("v\(i)")))
        }
        var log = OpLog()
        log.append(contentsOf: ops)
        #expect(log.count == ops.count)
        #expect(log[OpLog.chunkSize - 1] == ops[OpLog.chunkSize - 1])
        #expect(log[OpLog.chunkSize] == ops[OpLog.chunkSize])
        #expect(log[ops.count - 1] == ops[ops.count - 1])
        #expect(log.keyCount == 100)
        let copy = log
        log.setValue(.object(["value": .int(1)]), at: OpLog.chunkSize + 3)
        #expect(log.value(OpLog.chunkSize + 3) == .object(["value": .int(1)]))
        #expect(copy.value(OpLog.chunkSize + 3) == .string("v\(OpLog.chunkSize + 3)"), "a copy is not changed")
        log[5].error = "lost"
        #expect(log[5].error == "lost" && log[5].value == .string("v5"))
        #expect(log != copy)
    }

    @Test func clientFunctionsLeaveTheNemesisOut() {
        let log: OpLog = [
            Op(index: 0, process: .nemesis, type: .info, f: "start-partition"),
            Op(index: 1, process: .client(1), type: .invoke, f: "read"),
            Op(index: 2, process: .named("gc"), type: .info, f: "pause"),
        ]
        #expect(log.clientFunctions == ["read", "pause"])
    }

    /// A history of `n` write calls as JSON Lines, one process each, line k being operation k.
    static func jsonl(calls n: Int) -> [String] {
        (0..<n).flatMap { c in
            [#"{"process":\#(c % 7),"type":"invoke","f":"write","key":"k\#(c % 3)","value":\#(c)}"#,
             #"{"process":\#(c % 7),"type":"ok","f":"write","key":"k\#(c % 3)","value":\#(c)}"#]
        }
    }

    @Test func batchesKeepOrderAcrossManyBatches() throws {
        let lines = Self.jsonl(calls: 3 * LineBatchDecoder.batchLines)
        let log = try HistoryReader.read(text: lines.joined(separator: "\n") + "\n", source: "big.jsonl", format: .jsonl).operations
        #expect(log.count == lines.count)
        for i in stride(from: 0, to: log.count, by: 997) {
            #expect(log[i].index == i && log[i].value == .int(Int64(i / 2)) && log[i].type == (i % 2 == 0 ? .invoke : .ok))
        }
    }

    @Test func anErrorDeepInABatchNamesItsLineAfterEveryEarlierOperation() throws {
        var lines = Self.jsonl(calls: LineBatchDecoder.batchLines)
        let bad = LineBatchDecoder.batchLines + 1_234  // 0-based line in the second batch
        lines[bad] = #"{"process":1,"type":"ok","f":"write","value":tru}"#
        var seen = 0
        #expect {
            try HistoryReader.forEach(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "bad.jsonl", format: .jsonl) { _ in
                seen += 1
            }
        } throws: { error in
            guard let e = error as? HistoryError else { return false }
            return e.file == "bad.jsonl" && e.line == bad + 1 && e.column == 46
        }
        #expect(seen == bad, "every operation before the bad line, and none after it")
    }
}
