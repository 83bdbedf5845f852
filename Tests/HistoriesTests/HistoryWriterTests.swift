import Testing
@testable import Histories

/// The streaming JSON Lines writer, and reading back what it wrote.
@Suite struct HistoryWriterTests {
    static let tricky: [Op] = [
        Op(index: 0, time: 1200450, process: .client(3), type: .invoke, f: "cas", key: "k7",
                  value: .array([.int(1), .int(4)])),
        Op(index: 1, time: 1900113, process: .nemesis, type: .info, f: "partition",
                  value: .object(["n1": .array([.string("n4"), .string("n5")]), "n2": .object([:])])),
        Op(index: 2, time: -5, process: .client(3), type: .ok, f: "cas", key: "k7", value: .array([.int(1), .int(4)]),
                  node: "n1"),
        Op(index: 3, process: .client(5), type: .info, f: "read", key: "k \"quoted\" \\ /",
                  value: .null, error: "timeout\nafter 1s\t\u{01}"),
        Op(index: 4, process: .named("worker-é"), type: .fail, f: "wr😀te", key: "ключ",
                  value: .string("naïve \u{1F600} \u{7F} \u{2028}"), error: ""),
        Op(index: 5, process: .client(0), type: .ok, f: "txn",
                  value: .array([.array([.string("read"), .string("x"), .null]),
                                 .array([.string("write"), .string("y"), .int(2)])]),
                  extra: ["latency_ns": .int(1500), "weird key\u{0}": .bool(false), "d": .double(0.25),
                          "big": .double(1e300), "neg": .int(.min)]),
        Op(index: 6, process: .client(1), type: .invoke, f: "", value: .string("")),
    ]

    @Test func roundTripsThroughAFile() throws {
        let path = TempFile.path(suffix: ".jsonl")
        defer { TempFile.remove(path) }
        let writer = try HistoryWriter(path: path, bufferSizeBytes: 100)
        for op in Self.tricky { try writer.append(op) }
        try writer.sync()
        try writer.close()
        #expect(writer.count == Self.tricky.count)
        let back = try HistoryReader.read(path: path)
        #expect(back.format == .jsonl)
        #expect(back.operations == Self.tricky)
        let text = try TempFile.read(path)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == Self.tricky.count + 1)
        #expect(text.hasSuffix("}\n"))
    }

    @Test func numbersLinesByPosition() throws {
        let path = TempFile.path(suffix: ".jsonl")
        defer { TempFile.remove(path) }
        let writer = try HistoryWriter(path: path)
        try writer.append(Op(index: 41, process: .client(1), type: .invoke, f: "read"))
        try writer.append(Op(index: 7, process: .client(1), type: .ok, f: "read", value: .int(3)))
        try writer.close()
        let back = try HistoryReader.read(path: path)
        #expect(back.operations.map(\.index) == [0, 1])
    }

    @Test func flushMakesLinesVisibleBeforeClose() throws {
        let path = TempFile.path(suffix: ".jsonl")
        defer { TempFile.remove(path) }
        let writer = try HistoryWriter(path: path)
        try writer.append(Self.tricky[0])
        #expect(try HistoryReader.read(path: path, format: .jsonl).operations.isEmpty)
        try writer.flush()
        #expect(try HistoryReader.read(path: path).operations == [Self.tricky[0]])
        try writer.close()
        try writer.close()
        #expect(throws: HistoryError.self) { try writer.append(Self.tricky[0]) }
    }

    @Test func reportsAFileThatCannotBeCreated() {
        #expect(throws: HistoryError.self) { try HistoryWriter(path: "/nonexistent-dir/x/history.jsonl") }
    }

    @Test func roundTripsManyOperationsAcrossBuffers() throws {
        let path = TempFile.path(suffix: ".jsonl")
        defer { TempFile.remove(path) }
        let writer = try HistoryWriter(path: path, bufferSizeBytes: 4096)
        var ops: [Op] = []
        for i in 0..<5000 {
            // Pairs of an invocation and its completion (same process, key and value), as the reader checks.
            let pair = i / 2
            let op = Op(index: i, time: Int64(i) * 1000, process: .client(pair % 9), type: i % 2 == 0 ? .invoke : .ok,
                               f: "put", key: "k\(pair % 13)", value: .string("v\(pair)"))
            ops.append(op)
            try writer.append(op)
        }
        try writer.close()
        #expect(try HistoryReader.read(path: path).operations == ops)
    }
}
