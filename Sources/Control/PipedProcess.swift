import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A long-lived local child process with pipes to its stdin, stdout and stderr.
///
/// For programs Schism talks to line by line (the `stdio` client adapter). The child runs in a
/// process group of its own, so ``kill()`` ends it and anything it started, by PID. The caller
/// owns the descriptors and must call ``kill()`` once (it closes them and reaps the child).
public struct PipedProcess: Sendable {
    /// The child's PID (also its process group id).
    public let pid: Int32
    /// Our end of its stdin (non-blocking).
    public let stdinFD: Int32
    /// Our end of its stdout (non-blocking).
    public let stdoutFD: Int32
    /// Our end of its stderr (non-blocking).
    public let stderrFD: Int32

    /// Starts `argv` (searched in PATH) with pipes on all three standard streams.
    public static func start(_ argv: [String], environment: [String: String]? = nil) throws(LocalProcessError) -> PipedProcess {
        let spawned = try Spawner.spawn(argv, stdin: true, environment: environment)
        for fd in [spawned.stdoutFD, spawned.stderrFD] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return PipedProcess(pid: spawned.pid, stdinFD: spawned.stdinFD ?? -1, stdoutFD: spawned.stdoutFD, stderrFD: spawned.stderrFD)
    }

    /// The exit status (or 128 + signal) if the child has exited, reaping it; nil while it runs.
    public func exitStatus() -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return ProcessWaiter.decode(status)
    }

    /// Sends SIGKILL to the child's process group, closes our pipe ends and reaps the child
    /// (waiting at most 2 s). `reaped`: ``exitStatus()`` already returned a status, so the PID
    /// may belong to another process now and is not signalled.
    public func kill(reaped: Bool = false) {
        for fd in [stdinFD, stdoutFD, stderrFD] where fd >= 0 { close(fd) }
        if reaped { return }
        _ = Glibc.kill(-pid, SIGKILL)
        var status: Int32 = 0
        for _ in 0..<200 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || r < 0 { return }
            usleep(10_000)
        }
    }
}
