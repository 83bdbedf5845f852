import SchismTestKit
import Testing
@testable import Histories

/// Every file in ../shared/histories/EXPECTED.tsv is read (or rejected) as its format says.
@Suite(.enabled(if: SharedHistories.isAvailable, Comment(rawValue: SharedHistories.skipMessage)))
struct SharedHistoryFileTests {
    /// The format each folder is in.
    static func format(of relative: String) -> HistoryFormat {
        if relative.hasPrefix("porcupine/etcd/") { return .porcupineLog }
        if relative.hasPrefix("porcupine/kv/") { return .porcupineKV }
        return .edn
    }

    /// How many operations the file holds, counted from its text alone.
    static func expectedCount(_ relative: String, _ path: String) throws -> Int {
        switch format(of: relative) {
        case .porcupineLog: return try TextFacts.linesContaining("jepsen.util - ", in: path)
        case .porcupineKV: return try TextFacts.nonBlankLines(path)
        default: return try TextFacts.occurrences(of: ":process", in: path)
        }
    }

    @Test(arguments: SharedHistories.expectations().filter { $0.expected != "error" })
    func readsEveryFile(_ row: SharedHistories.Expectation) throws {
        let path = SharedHistories.path(row.path)
        #expect(try HistoryReader.detectFormat(path: path) == Self.format(of: row.path))
        let history = try HistoryReader.read(path: path)
        #expect(history.format == Self.format(of: row.path))
        #expect(history.source == path)
        let ops = Array(history.operations)
        #expect(ops.count == (try Self.expectedCount(row.path, path)))
        #expect(ops.indices.elementsEqual(ops.map(\.index)))
        #expect(ops.filter { $0.type == .invoke }.count ==
            (try TextFacts.occurrences(of: Self.format(of: row.path) == .porcupineLog ? "\t:invoke\t" : ":type :invoke", in: path)))
        #expect(Self.balanceProblems(ops).isEmpty, "\(Self.balanceProblems(ops).prefix(3))")
        // Streaming in tiny chunks gives the same operations.
        var streamed: [Op] = []
        _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 97), format: nil) { streamed.append($0) }
        #expect(streamed == ops)
    }

    /// Invocations and completions alternate per process: no completion without an invocation,
    /// no second invocation while one is in flight, nothing after an `info`.
    static func balanceProblems(_ ops: [Op]) -> [String] {
        var inFlight: [ProcessID: String] = [:]
        var crashed = Set<ProcessID>()
        var problems: [String] = []
        for op in ops where op.process != .nemesis {
            if crashed.contains(op.process) { problems.append("op \(op.index): process \(op.process) after info") }
            if op.type == .invoke {
                if inFlight[op.process] != nil { problems.append("op \(op.index): second invocation") }
                inFlight[op.process] = op.f
            } else {
                if inFlight[op.process] != op.f { problems.append("op \(op.index): completion without invocation") }
                inFlight[op.process] = nil
                if op.type == .info { crashed.insert(op.process) }
            }
        }
        return problems
    }

    @Test func readsKnownValuesFromEachFormat() throws {
        let etcd = try HistoryReader.read(path: SharedHistories.path("porcupine/etcd/etcd_000.log")).operations
        #expect(etcd[0] == Op(index: 0, process: .client(0), type: .invoke, f: "read"))
        #expect(etcd[2] == Op(index: 2, process: .client(2), type: .invoke, f: "write", value: .int(4)))
        #expect(etcd[18] == Op(index: 18, process: .client(2), type: .invoke, f: "cas", value: .array([.int(3), .int(0)])))
        let timedOut = try #require(etcd.first { $0.type == .info })
        #expect(timedOut.error == "timed-out" && timedOut.value == .null)

        let kv = try HistoryReader.read(path: SharedHistories.path("porcupine/kv/c01-ok.txt")).operations
        #expect(kv[0] == Op(index: 0, process: .client(0), type: .invoke, f: "append", key: "0", value: .string("x 0 0 y")))

        let multi = try HistoryReader.read(path: SharedHistories.path("knossos/multi-register/good/multi-register.edn")).operations
        #expect(multi[0] == Op(index: 0, time: 7686455705, process: .client(3), type: .invoke, f: "txn",
                                      value: .array([.array([.string("read"), .string("x"), .null])])))
        #expect(multi.last?.process == .nemesis && multi.last?.value == .string("fully connected"))

        let failure = try HistoryReader.read(path: SharedHistories.path("knossos/cas-register/bad/immediate-failure.edn")).operations
        #expect(failure[2].error == "[:temporarily-unavailable nil]")
    }

    @Test(arguments: SharedHistories.expectations().filter { $0.expected == "error" })
    func rejectsMalformedFiles(_ row: SharedHistories.Expectation) throws {
        let path = SharedHistories.path(row.path)
        do {
            let history = try HistoryReader.read(path: path)
            Issue.record("EXPECTED.tsv says error, but \(row.path) was read (\(history.operations.count) operations)")
        } catch {
            #expect(error.file == path)
            #expect(error.line > 0 && error.column > 0, "\(error)")
            #expect(error.message.contains("expected"), "\(error)")
        }
    }

    /// The malformed fixture is Knossos's mutex history without its closing `]`: the error says
    /// so at the end of the file, and the whole history sits in knossos/mutex/bad/.
    @Test func rejectsTheCutOffMutexHistoryAtItsEnd() throws {
        let path = SharedHistories.path("malformed/knossos-mutex-etcd-truncated.edn")
        #expect(throws: HistoryError(
            file: path, line: 1136, column: 1,
            message: "unexpected end of file; expected an operation or ']' to close the vector of operations (it starts at line 1, column 1)")) {
            try HistoryReader.read(path: path)
        }
        let whole = try HistoryReader.read(path: SharedHistories.path("knossos/mutex/bad/etcd.edn"))
        #expect(whole.operations.count == (try TextFacts.occurrences(of: ":process", in: path)))
    }

    /// The mutex history cut off mid-map, as the malformed fixture was meant to be.
    @Test func rejectsTheMutexHistoryCutOffMidMap() throws {
        let path = SharedHistories.path("malformed/knossos-mutex-etcd-truncated.edn")
        let bytes = try TempFile.bytes(path)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        // Keep 599 whole lines and the first 25 bytes of line 600: `{:type :ok, :f :acquire, `
        let kept = lines.prefix(599).map { Array($0) + [0x0A] }.joined() + Array(lines[599].prefix(25))
        #expect(throws: HistoryError(
            file: "cut.edn", line: 600, column: 26,
            message: "unexpected end of file; expected a value or '}' to close the map (the map starts at line 600, column 1)")) {
            _ = try HistoryReader.read(bytes: Array(kept), source: "cut.edn")
        }
        // Cut inside the error string of the last line instead.
        let last = lines.count - 2
        let cut = lines.prefix(last).map { Array($0) + [0x0A] }.joined() + Array(lines[last].prefix(90))
        do {
            _ = try HistoryReader.read(bytes: Array(cut), source: "cut.edn")
            Issue.record("accepted a history cut inside a string")
        } catch {
            #expect(error.line == last + 1 && error.column == 91)
            #expect(error.message.contains("unexpected end of file in a string"))
            #expect(error.message.contains("the string starts at line \(last + 1), column 78"), "\(error)")
        }
    }
}
