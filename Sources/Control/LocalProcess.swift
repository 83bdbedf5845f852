import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What a local process did: exit status, output tails, and whether it was stopped for time.
public struct ProcessOutput: Sendable {
    /// The exit status, or 128 + signal number when a signal ended it.
    public var exitStatus: Int32
    /// Standard output (its tail).
    public var stdout: [UInt8]
    /// Standard error (its tail).
    public var stderr: [UInt8]
    /// Bytes dropped from the front of stdout.
    public var stdoutDroppedBytes: Int
    /// Bytes dropped from the front of stderr.
    public var stderrDroppedBytes: Int
    /// Whether the process ran past its timeout and was killed.
    public var timedOut: Bool
    /// Wall-clock seconds it ran.
    public var durationSeconds: Double

    /// Standard output as text.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as text.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs programs on this machine without blocking Swift's cooperative thread pool.
///
/// Each process gets its own process group, so a timeout or a cancelled task kills the
/// whole tree it started (SIGTERM, then SIGKILL two seconds later). The waiting happens
/// on a dedicated thread per process.
public enum LocalProcess {
    /// Runs `argv` (searched in PATH) and returns its output, whatever its exit status.
    ///
    /// Throws only when the program cannot be started.
    public static func run(
        _ argv: [String], stdin: [UInt8]? = nil, timeoutSeconds: Double = 60,
        outputLimitBytes: Int = 1 << 20, environment: [String: String]? = nil
    ) async throws(LocalProcessError) -> ProcessOutput {
        let spawned = try Spawner.spawn(argv, stdin: stdin != nil, environment: environment)
        let cancelled = Mutex(false)
        let output: ProcessOutput = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ProcessOutput, Never>) in
                let thread = Thread {
                    var waiter = ProcessWaiter(
                        spawned: spawned, stdin: stdin ?? [], timeoutSeconds: timeoutSeconds,
                        outputLimitBytes: outputLimitBytes)
                    continuation.resume(returning: waiter.wait { cancelled.withLock { $0 } })
                }
                thread.stackSize = 256 << 10
                thread.start()
            }
        } onCancel: {
            cancelled.withLock { $0 = true }
        }
        return output
    }

    /// Runs `argv` and returns its stdout; throws unless it exits 0.
    @discardableResult
    public static func check(
        _ argv: [String], stdin: [UInt8]? = nil, timeoutSeconds: Double = 60
    ) async throws(LocalProcessError) -> String {
        let out = try await run(argv, stdin: stdin, timeoutSeconds: timeoutSeconds)
        guard out.exitStatus == 0, !out.timedOut else {
            throw LocalProcessError(
                argv: argv,
                message: out.timedOut
                    ? "timed out after \(timeoutSeconds) s" : "exited with status \(out.exitStatus)",
                stderrTail: tailLines(out.stderrText + out.stdoutText))
        }
        return out.stdoutText
    }

    /// Starts `argv` in a new session through `setsid --fork`, detached from Schism.
    ///
    /// Its stdio goes to `logPath` (appended) or /dev/null; it is reparented to init, so it
    /// outlives Schism and leaves no zombie. Find and end it by its recorded pid.
    public static func startDetached(_ argv: [String], logPath: String? = nil) throws(LocalProcessError) {
        try Spawner.spawnDetached(argv, logPath: logPath)
    }

    /// Whether a program is found in PATH (or exists, for an absolute path).
    public static func which(_ program: String) -> String? {
        if program.hasPrefix("/") { return access(program, X_OK) == 0 ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        for dir in (path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]) {
            let candidate = dir + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// A local program that could not be started, or (from `check`) failed.
public struct LocalProcessError: Error, Sendable, CustomStringConvertible {
    /// The program and its arguments.
    public var argv: [String]
    /// What went wrong.
    public var message: String
    /// The tail of its output, when it ran.
    public var stderrTail: String

    /// Creates an error.
    public init(argv: [String], message: String, stderrTail: String = "") {
        self.argv = argv
        self.message = message
        self.stderrTail = stderrTail
    }

    /// `` `argv` ``: message, then the output tail.
    public var description: String {
        var out = "`\(ShellQuote.join(argv))`: \(message)"
        if !stderrTail.isEmpty {
            out += "\n" + stderrTail.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        }
        return out
    }
}
