import Foundation
import SchismTestKit
import Testing

/// Replays the fuzz regressions, the seed corpus and the shared reference histories through the
/// `SchismFuzz` executable, one process per file so that a crash fails one test and not the run.
struct FuzzRegressionTests {
    /// Reproducers that still crash, by file name, with what they show; each is a known issue
    /// until its owner fixes the code, and the test fails once it passes so the entry is removed.
    static let knownCrashes: [String: String] = [:]

    /// A replay that takes longer than this is a hang.
    static let timeLimitSeconds = 60.0

    /// `Fuzz/` in the package.
    static let fuzzRoot = SharedHistories.packageRoot.appendingPathComponent("Fuzz")

    /// The files directly or indirectly below `Fuzz/<folder>`, relative to `Fuzz/`, dot files skipped.
    static func files(in folder: String) -> [String] {
        let base = fuzzRoot.appendingPathComponent(folder)
        let names = (FileManager.default.subpaths(atPath: base.path) ?? []).sorted()
        return names.compactMap { name in
            if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { return nil }
            var isFolder: ObjCBool = false
            let full = base.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
            return folder + "/" + name
        }
    }

    /// The built `SchismFuzz` executable beside the test bundle.
    static let executable: String? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("SchismFuzz").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// What one replay did: its exit status (or signal) and its standard error up to the registers.
    struct Outcome {
        var status: Int32
        var crashed: Bool
        var timedOut: Bool
        var errorText: String
        var passed: Bool { status == 0 && !crashed && !timedOut }
    }

    /// Runs the executable on `arguments` with a time limit.
    static func replay(_ arguments: [String]) throws -> Outcome {
        let path = try #require(executable, "SchismFuzz is not built; run swift build --build-tests first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeLimitSeconds)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, errorText: String((text.components(separatedBy: "\nRegisters:").first ?? text).prefix(3_000)))
    }

    @Test("every regression replays without a crash", arguments: files(in: "regressions"))
    func regression(_ file: String) throws {
        let outcome = try Self.replay([Self.fuzzRoot.appendingPathComponent(file).path])
        let name = URL(fileURLWithPath: file).lastPathComponent
        let passed = outcome.passed
        if let known = Self.knownCrashes[name] {
            withKnownIssue("\(name): \(known)") {
                #expect(passed, "\(file): \(outcome.errorText)")
            }
        } else {
            #expect(passed, "\(file): status \(outcome.status), timed out \(outcome.timedOut)\n\(outcome.errorText)")
        }
    }

    @Test func theSeedCorpusReplaysWithoutACrash() throws {
        #expect(!Self.files(in: "corpus").isEmpty)
        let outcome = try Self.replay([Self.fuzzRoot.appendingPathComponent("corpus").path])
        let passed = outcome.passed
        #expect(passed, "status \(outcome.status), timed out \(outcome.timedOut)\n\(outcome.errorText)")
    }

    @Test(.enabled(if: SharedHistories.isAvailable, Comment(rawValue: SharedHistories.skipMessage)))
    func theSharedHistoriesReplayThroughEveryTargetWithoutACrash() throws {
        let outcome = try Self.replay([SharedHistories.root.path])
        let passed = outcome.passed
        #expect(passed, "status \(outcome.status), timed out \(outcome.timedOut)\n\(outcome.errorText)")
    }

    @Test func anUnknownTargetIsAUsageError() throws {
        // A usage error is status 64, not a crash; an unknown target is refused.
        let outcome = try Self.replay(["--target", "no-such-target", Self.fuzzRoot.path])
        #expect(outcome.status == 64)
        #expect(outcome.errorText.contains("usage"))
    }
}
