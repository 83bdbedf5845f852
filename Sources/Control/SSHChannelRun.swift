import CLibSSH
import Foundation

/// Running one wrapped command on a channel of the node's connection.
extension SSHRemote {
    /// Opens a channel, runs the command, and collects its output and exit status.
    func runOnChannel(_ command: RemoteCommand) async throws(ChannelFailure) -> ExecResult {
        let conn: SSHConnection
        do { conn = try liveConnection() } catch { throw .notStarted(error) }
        let useSudo = command.sudo && config.sudo && conn.user != "root"
        var password: String?
        if useSudo, let env = config.sudoPasswordEnv {
            guard let value = ProcessInfo.processInfo.environment[env] else {
                throw .failed(
                    RemoteError(
                        .commandFailed, node: node, command: command.description,
                        message: "needs the sudo password, but environment variable \(env) is not set",
                        hint: "export \(env) before running schism (sudo_password_env in the nodes file)"))
            }
            password = value
        }
        let (script, stdin) = RemoteScript.wrap(command, useSudo: useSudo, sudoPassword: password)
        func lost(_ what: String) -> RemoteError {
            RemoteError(
                .connectionLost, node: node, command: command.description,
                message: "\(what): \(conn.lastError)",
                hint: "check that the node and its sshd are up; the command may or may not have run")
        }
        guard let channel = ssh_channel_new(conn.session) else {
            throw .notStarted(lost("cannot create a channel"))
        }
        defer {
            ssh_channel_close(channel)
            ssh_channel_free(channel)
        }
        guard ssh_channel_open_session(channel) == SSH_OK else {
            throw .notStarted(lost("cannot open a session channel"))
        }
        guard ssh_channel_request_exec(channel, script) == SSH_OK else {
            throw .notStarted(lost("the server refused to run the command"))
        }
        let start = Date()
        if let stdin, !stdin.isEmpty {
            var offset = 0
            while offset < stdin.count {
                let chunk = min(32768, stdin.count - offset)
                let written = stdin.withUnsafeBytes { raw in
                    ssh_channel_write(channel, raw.baseAddress.map { $0 + offset }, UInt32(chunk))
                }
                guard written > 0 else { throw .failed(lost("connection broke while sending stdin")) }
                offset += Int(written)
                await Task.yield()
            }
        }
        ssh_channel_send_eof(channel)

        var stdout = OutputTail(limit: command.outputLimitBytes)
        var stderr = OutputTail(limit: command.outputLimitBytes)
        var pidParser = PidLineParser()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var eof = [false, false]
        let hardDeadline = command.timeoutSeconds + Double(RemoteScript.killAfterSeconds) + 3
        while !(eof[0] && eof[1]) {
            var progressed = false
            for stream in 0..<2 where !eof[stream] {
                // Bounded: at most 64 reads per stream per round.
                for _ in 0..<64 {
                    let n = ssh_channel_read_nonblocking(channel, &buffer, UInt32(buffer.count), Int32(stream))
                    if n > 0 {
                        progressed = true
                        if stream == 0 {
                            stdout.append(contentsOf: buffer[0..<Int(n)])
                        } else {
                            stderr.append(contentsOf: pidParser.feed(buffer[0..<Int(n)]))
                        }
                        continue
                    }
                    if n == SSH_EOF || (n == 0 && ssh_channel_is_closed(channel) != 0) {
                        eof[stream] = true
                    } else if n == SSH_ERROR {
                        throw .failed(lost("connection broke while the command ran"))
                    }
                    break
                }
            }
            if eof[0] && eof[1] { break }
            let elapsed = Date().timeIntervalSince(start)
            if elapsed > hardDeadline || Task.isCancelled {
                await killRemote(pid: pidParser.pid)
                throw .failed(
                    RemoteError(
                        .timedOut, node: node, command: command.description,
                        stderrTail: tailLines(String(decoding: stderr.bytes, as: UTF8.self)),
                        message: Task.isCancelled
                            ? "cancelled; killed it on the node"
                            : "no exit after \(Int(elapsed)) s (timeout \(command.timeoutSeconds) s); killed it by pid",
                        hint: "a background process may hold its output open: redirect it (>log 2>&1)"))
            }
            if !progressed {
                var pfd = pollfd(fd: conn.fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&pfd, 1, 5)
            }
            await Task.yield()
        }
        let status = ssh_channel_get_exit_status(channel)
        let elapsed = Date().timeIntervalSince(start)
        let stderrText = String(decoding: stderr.bytes, as: UTF8.self)
        if RemoteScript.isTimeoutStatus(status, elapsedSeconds: elapsed, timeoutSeconds: command.timeoutSeconds) {
            throw .failed(
                RemoteError(
                    .timedOut, node: node, command: command.description, exitStatus: status,
                    stderrTail: tailLines(stderrText),
                    message: "still running after \(command.timeoutSeconds) s; stopped it on the node",
                    hint: "raise the command's timeout if it legitimately takes longer"))
        }
        return ExecResult(
            node: node, command: command.description, exitStatus: status, stdout: stdout.bytes,
            stderr: stderr.bytes, stdoutDroppedBytes: stdout.droppedBytes,
            stderrDroppedBytes: stderr.droppedBytes, durationSeconds: elapsed)
    }

    /// Kills a wrapped command's process group by pid, on a separate channel (best effort).
    private func killRemote(pid: Int32?) async {
        guard let pid, pid > 1 else { return }
        let kill = RemoteCommand(script: RemoteScript.killScript(pid: pid), timeoutSeconds: 5, sudo: true)
        _ = try? await runOnChannel(kill)
    }
}
