import Foundation
import SchismTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `schism check`'s progress on a long file, through the real executable: a live line on a
/// terminal (a pseudo-terminal from `script`), erased before the verdict; nothing with `--json`.
@Suite("schism check: progress of a long check")
struct CheckProgressTests {
    @Test("a long check shows partitions decided on a terminal, erases the line, and prints nothing extra with --json")
    func progressOnATerminal() throws {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux's script is needed (scripts/setup.sh)")
        let schism = try #require(SchismExecutable.path)
        let file = NSTemporaryDirectory() + "p\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        // Big enough that a debug build checks it for more than the quiet first second.
        let made = try CLI.run(["generate", "--ops", "400000", "--keys", "400", "--processes", "30", "--crashes", "20", "-o", file])
        try #require(made.status == 0, "\(made.output)")

        let out = NSTemporaryDirectory() + "schism-progress-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: script)
        p.arguments = ["-qec", "\(schism) check \(file)", out]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(180)
        while p.isRunning {
            if Date() > deadline {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                Issue.record("schism check under script did not end within 180 s")
                return
            }
            usleep(50_000)
        }
        #expect(p.terminationStatus == 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("/400 partitions decided"))
        // The last progress line is erased before the verdict is printed.
        let lastProgress = try #require(text.range(of: "partitions decided", options: .backwards))
        let after = text[lastProgress.upperBound...]
        #expect(after.contains("\r\u{1B}[2K"))
        #expect(after.contains("valid"))

        let json = try CLI.run(["check", file, "--json"])
        #expect(json.status == 0)
        #expect(!json.output.contains("partitions decided"))
    }
}
