import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The poll loop of one local process: feeds stdin, collects output, enforces the timeout.
///
/// Runs on its own thread. Every wait is bounded: poll wakes at least every 50 ms, a
/// timed-out or cancelled process gets SIGTERM then SIGKILL (to its whole group), and
/// once the process has exited its pipes are drained for at most 200 ms (a daemon it
/// started may hold them open).
struct ProcessWaiter {
    let spawned: SpawnedProcess
    var stdin: [UInt8]
    let timeoutSeconds: Double
    var stdout: OutputTail
    var stderr: OutputTail

    init(spawned: SpawnedProcess, stdin: [UInt8], timeoutSeconds: Double, outputLimitBytes: Int) {
        self.spawned = spawned
        self.stdin = stdin
        self.timeoutSeconds = timeoutSeconds
        self.stdout = OutputTail(limit: outputLimitBytes)
        self.stderr = OutputTail(limit: outputLimitBytes)
    }

    mutating func wait(isCancelled: () -> Bool) -> ProcessOutput {
        let start = Date()
        var stdinFD = spawned.stdinFD
        var outFD: Int32? = spawned.stdoutFD
        var errFD: Int32? = spawned.stderrFD
        var stdinOffset = 0
        var exitStatus: Int32?
        var exitedAt: Date?
        var termSentAt: Date?
        var killSent = false
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65536)

        if let fd = stdinFD, stdin.isEmpty {
            close(fd)
            stdinFD = nil
        }
        while true {
            if exitStatus != nil && outFD == nil && errFD == nil { break }
            if let exitedAt, Date().timeIntervalSince(exitedAt) > 0.2 { break }
            var fds: [pollfd] = []
            if let fd = stdinFD { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            if let fd = outFD { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if let fd = errFD { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            _ = poll(&fds, nfds_t(fds.count), exitStatus == nil ? 50 : 20)
            for pfd in fds where pfd.revents != 0 {
                if pfd.fd == stdinFD {
                    let n = stdin.withUnsafeBytes { raw -> Int in
                        guard let base = raw.baseAddress else { return 0 }
                        return write(pfd.fd, base + stdinOffset, raw.count - stdinOffset)
                    }
                    if n > 0 { stdinOffset += n }
                    if n < 0 && errno != EAGAIN && errno != EINTR || stdinOffset >= stdin.count {
                        close(pfd.fd)
                        stdinFD = nil
                    }
                } else {
                    let n = read(pfd.fd, &buffer, buffer.count)
                    if n > 0 {
                        if pfd.fd == outFD {
                            stdout.append(contentsOf: buffer[0..<n])
                        } else {
                            stderr.append(contentsOf: buffer[0..<n])
                        }
                    } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(pfd.fd)
                        if pfd.fd == outFD { outFD = nil } else { errFD = nil }
                    }
                }
            }
            if exitStatus == nil {
                var status: Int32 = 0
                if waitpid(spawned.pid, &status, WNOHANG) == spawned.pid {
                    exitStatus = Self.decode(status)
                    exitedAt = Date()
                    if let fd = stdinFD {
                        close(fd)
                        stdinFD = nil
                    }
                }
            }
            if exitStatus == nil {
                let elapsed = Date().timeIntervalSince(start)
                if termSentAt == nil && (elapsed > timeoutSeconds || isCancelled()) {
                    timedOut = elapsed > timeoutSeconds
                    kill(-spawned.pid, SIGTERM)
                    termSentAt = Date()
                } else if let sent = termSentAt, !killSent, Date().timeIntervalSince(sent) > 2 {
                    kill(-spawned.pid, SIGKILL)
                    killSent = true
                }
            }
        }
        for fd in [stdinFD, outFD, errFD].compactMap({ $0 }) { close(fd) }
        return ProcessOutput(
            exitStatus: exitStatus ?? -1, stdout: stdout.bytes, stderr: stderr.bytes,
            stdoutDroppedBytes: stdout.droppedBytes, stderrDroppedBytes: stderr.droppedBytes,
            timedOut: timedOut, durationSeconds: Date().timeIntervalSince(start))
    }

    /// Exit status from a wait status: the code, or 128 + signal.
    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
