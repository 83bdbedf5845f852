import Foundation
import SchismTestKit
import Testing
@testable import Histories

#if canImport(Glibc)
import Glibc
#endif

/// What `schism check` prints for the readings that need it: warnings on stderr, folders holding a FIFO.
@Suite(
    .serialized,
    .enabled(if: SchismExecutable.path != nil, "the schism executable is not built beside the tests (run swift build first)"))
struct CheckCommandReadingTests {
    /// Runs `schism args`, killing it (the child this test started) if it runs for more than `limit`.
    static func run(_ args: [String], limit: Duration = .seconds(60)) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SchismExecutable.path ?? "schism")
        process.arguments = args
        let outFile = TempFile.path(suffix: ".out"), errFile = TempFile.path(suffix: ".err")
        _ = FileManager.default.createFile(atPath: outFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile, contents: nil)
        defer {
            TempFile.remove(outFile)
            TempFile.remove(errFile)
        }
        process.standardOutput = FileHandle(forWritingAtPath: outFile)
        process.standardError = FileHandle(forWritingAtPath: errFile)
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while process.isRunning && clock.now < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("schism \(args.joined(separator: " ")) still ran after \(limit): killed")
        }
        process.waitUntilExit()
        return (process.terminationStatus, try TempFile.read(outFile), try TempFile.read(errFile))
    }

    @Test func printsReadingWarningsOnStderr() throws {
        let text = """
            {"process":"c1","type":"invoke","f":"read","value":null}
            {"process":"c1","type":"ok","f":"read","value":3}

            """
        try TempFile.with(text, suffix: ".jsonl") { path in
            let result = try Self.run(["check", "--model", "register", path])
            #expect(result.status == 0, "\(result)")
            #expect(result.err.contains(#"\#(path):1: warning: process "c1" is a name, not a number: its operations are read but not checked"#), "\(result.err)")
        }
    }

    @Test func reportsACompletionWithAnotherKeyAsUnreadable() throws {
        let text = """
            {"process":3,"type":"invoke","f":"read","key":"a","value":null}
            {"process":3,"type":"ok","f":"read","key":"b","value":1}

            """
        try TempFile.with(text, suffix: ".jsonl") { path in
            let result = try Self.run(["check", path])
            #expect(result.status == 65, "\(result)")
            #expect((result.out + result.err).contains(#"\#(path):2: process 3 completes read with key "b", but its invocation at line 1 has key "a""#), "\(result)")
        }
    }

    /// A folder holding a FIFO: the FIFO is skipped with a warning, the rest is checked, nothing hangs.
    @Test func skipsAFIFOInAFolder() throws {
        let folder = TempFile.path(suffix: ".d")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let history = InputLimitsTests.good + "\n" + #"{"process":0,"type":"ok","f":"read","value":null}"# + "\n"
        try Data(history.utf8).write(to: URL(fileURLWithPath: folder + "/a.jsonl"))
        #expect(mkfifo(folder + "/b.fifo", 0o600) == 0)
        let result = try Self.run(["check", "--model", "register", folder], limit: .seconds(30))
        #expect(result.status == 0, "\(result)")
        #expect(result.err.contains("\(folder)/b.fifo: warning: skipped: not a regular file (a FIFO or a device)"), "\(result.err)")
        #expect(result.out.contains("a.jsonl"), "\(result.out)")
    }
}
