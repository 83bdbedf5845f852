import Foundation
import SchismTestKit

#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `schism` executable.
enum CLI {
    struct Result {
        var status: Int32
        /// Standard output and standard error, interleaved.
        var output: String
    }

    /// Runs `schism args...`, killing it by PID after `timeoutSeconds`.
    static func run(_ args: [String], stdin: String? = nil, timeoutSeconds: Double = 120, cwd: String? = nil) throws -> Result {
        guard let path = SchismExecutable.path else { throw HTTPFailure("no schism executable") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let file = NSTemporaryDirectory() + "schism-cli-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        defer { try? handle.close() }
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while p.isRunning {
            if Date() > deadline {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                throw HTTPFailure("schism \(args.joined(separator: " ")) did not end within \(timeoutSeconds) s")
            }
            usleep(20_000)
        }
        let output = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return Result(status: p.terminationStatus, output: output)
    }
}
