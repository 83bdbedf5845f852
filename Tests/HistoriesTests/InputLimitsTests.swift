import Foundation
import SchismTestKit
import Testing
@testable import Histories

#if canImport(Glibc)
import Glibc
#endif

/// Inputs that are not ordinary files or lines: FIFOs, devices, folders, endless lines. None may hang or allocate without bound.
@Suite(.serialized) struct InputLimitsTests {
    static let good = #"{"process":0,"type":"invoke","f":"read","value":null}"#

    /// A fresh FIFO in the temporary folder.
    static func makeFIFO() throws -> String {
        let path = TempFile.path(suffix: ".fifo")
        guard mkfifo(path, 0o600) == 0 else {
            throw HistoryError(file: path, line: 0, column: 0, message: "mkfifo failed: \(ByteSource.errnoText())")
        }
        return path
    }

    @Test func refusesAFIFOThatNothingWritesTo() throws {
        let path = try Self.makeFIFO()
        defer { TempFile.remove(path) }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: HistoryError(
            file: path, line: 0, column: 0,
            message: "is a FIFO (named pipe) that nothing wrote to within 0.2 s; write the history into it while schism reads, or check a regular file")) {
            _ = try HistoryReader.stream(ByteSource(path: path, pipeWaitSeconds: 0.2), format: nil) { _ in }
        }
        #expect(clock.now - start < .seconds(5))
    }

    /// A FIFO that a writer fills in two pieces, then closes, is read as a stream.
    @Test func readsAFIFOAsAStream() throws {
        let path = try Self.makeFIFO()
        defer { TempFile.remove(path) }
        let first = Self.good + "\n" + #"{"process":0,"type":"ok","#
        let second = #""f":"read","value":3}"# + "\n"
        let writer = Thread {
            // Open without blocking, retrying until the reader has opened its end (bounded).
            let deadline = Date().addingTimeInterval(5)
            var fd: Int32 = -1
            while fd < 0 && Date() < deadline {
                fd = open(path, O_WRONLY | O_NONBLOCK)
                if fd < 0 { usleep(2000) }
            }
            guard fd >= 0 else { return }
            for piece in [first, second] {
                _ = Array(piece.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                usleep(50_000)
            }
            close(fd)
        }
        writer.start()
        let history = try HistoryReader.read(path: path)
        #expect(history.operations.map(\.type) == [.invoke, .ok])
        #expect(history.operations.last?.value == .int(3))
    }

    @Test func refusesAFolder() throws {
        let folder = TempFile.path(suffix: ".d")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { TempFile.remove(folder) }
        #expect(throws: HistoryError(file: folder, line: 0, column: 0, message: "is a folder, not a history file")) {
            try HistoryReader.read(path: folder)
        }
    }

    @Test func tellsRegularFilesFromTheRest() throws {
        let fifo = try Self.makeFIFO()
        defer { TempFile.remove(fifo) }
        try TempFile.with("", suffix: ".jsonl") { file in
            #expect(HistoryReader.isRegularFile(path: file))
        }
        #expect(!HistoryReader.isRegularFile(path: fifo))
        #expect(!HistoryReader.isRegularFile(path: "/dev/null"))
        #expect(!HistoryReader.isRegularFile(path: NSTemporaryDirectory()))
        #expect(!HistoryReader.isRegularFile(path: "/nonexistent/file"))
    }

    /// A line longer than the bound is an error at its start, not an allocation (bound made small here).
    @Test func refusesALineLongerThanTheBound() throws {
        let long = String(repeating: "x", count: 5000)
        try TempFile.with(Self.good + "\n" + long + "\n", suffix: ".jsonl") { path in
            #expect(throws: HistoryError(
                file: path, line: 2, column: 1,
                message: "the line (or operation) that starts here is longer than 1000 bytes; a history line or operation may be at most 1000 bytes (is this a history file?)")) {
                _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 256, maxLineBytes: 1000), format: .jsonl) { _ in }
            }
        }
        // A line of exactly the bound is read.
        let padded = #"{"process":0,"type":"invoke","f":"read","value":""# + String(repeating: "y", count: 1000 - 51) + #""}"#
        #expect(padded.utf8.count == 1000)
        try TempFile.with(padded + "\n", suffix: ".jsonl") { path in
            var count = 0
            _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 256, maxLineBytes: 1000), format: .jsonl) { _ in count += 1 }
            #expect(count == 1)
        }
        // In EDN the bound is on one operation, wherever its lines break.
        let edn = "[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :ok, :f :read, :value\n \"" + long + "\"}]\n"
        try TempFile.with(edn, suffix: ".edn") { path in
            do {
                _ = try HistoryReader.stream(ByteSource(path: path, chunkSize: 256, maxLineBytes: 1000), format: .edn) { _ in }
                Issue.record("read an operation longer than the bound")
            } catch let error as HistoryError {
                #expect(error.line == 2 && error.column == 2, "\(error)")
                #expect(error.message.contains("longer than 1000 bytes"))
            }
        }
    }

    /// `/dev/zero` (a device that never ends and has no newline) is an error in every format, quickly.
    @Test(arguments: [HistoryFormat.jsonl, .edn, .json, .porcupineLog, .porcupineKV])
    func refusesDevZero(_ format: HistoryFormat) throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try HistoryReader.stream(ByteSource(path: "/dev/zero", chunkSize: 4096, maxLineBytes: 1 << 20), format: format) { _ in }
            Issue.record("read /dev/zero as \(format)")
        } catch let error as HistoryError {
            #expect(error.file == "/dev/zero")
            #expect(error.line == 1, "\(error)")
        }
        #expect(clock.now - start < .seconds(10))
    }

    @Test func refusesDevZeroWhenDetecting() {
        #expect(throws: HistoryError.self) {
            _ = try HistoryReader.stream(ByteSource(path: "/dev/zero", chunkSize: 4096, maxLineBytes: 1 << 20), format: nil) { _ in }
        }
    }
}
