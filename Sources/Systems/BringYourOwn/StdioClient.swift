import Basics
import Control
import Foundation
import Histories
import Systems

#if canImport(Glibc)
    import Glibc
#endif

/// A client that talks to a program the user wrote, one JSON object per line (docs/client-protocol.md).
///
/// One process per worker, started on the controller on first use. Each request is a line on
/// its stdin (`{"id":1,"f":"write","key":"3","value":4}`), each answer a line on its stdout
/// (`{"id":1,"type":"ok"}`). Schism's own deadline (the client timeout plus `graceSeconds`) is on
/// top: a client that does not answer in time, exits, or prints something that is not an answer
/// gives `info` with a message saying which, and is killed
/// by its PID (its whole process group) and replaced by a fresh one for the next request.
///
/// The blocking pipe I/O runs on a thread of its own per client (the actor's executor), never on
/// Swift's cooperative pool.
public actor StdioClient: Client {
    /// The program and its arguments.
    public nonisolated let argv: [String]
    /// The node the client is bound to, for messages.
    public nonisolated let node: String
    /// Seconds Schism waits for an answer before killing the client.
    public nonisolated let deadlineSeconds: Double
    /// Seconds added to the deadline of a request that had to start the program first
    /// (interpreters can take a second to start on a loaded machine).
    public nonisolated let startupSeconds: Double
    /// Put before every key sent to the program.
    public nonisolated let keyPrefix: String
    private nonisolated let executor: ThreadExecutor

    private var process: PipedProcess?
    private var stdoutBuffer: [UInt8] = []
    private var stderrTail = OutputTail(limit: 4096)
    private var nextID: Int64 = 1
    /// The exit status of the current program once reaped (its PID must not be signalled then).
    private var exitedStatus: Int32?
    /// Processes started so far (the first start included).
    public private(set) var starts = 0

    /// The longest answer line accepted.
    public static let maxLineBytes = 1 << 20

    /// A client that runs `argv` for `node`, each request bounded by `deadlineSeconds`.
    public init(argv: [String], node: String, deadlineSeconds: Double, startupSeconds: Double = 5, keyPrefix: String = "") {
        self.argv = argv
        self.node = node
        self.deadlineSeconds = deadlineSeconds
        self.startupSeconds = startupSeconds
        self.keyPrefix = keyPrefix
        self.executor = ThreadExecutor(name: "schism-stdio-\(node)")
    }

    /// Runs every job of this actor on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The PID of the running client program, if one runs.
    public var pid: Int32? { process?.pid }

    /// Sends `request` and waits for its answer; never throws.
    public func invoke(_ request: ClientRequest) async -> ClientResponse {
        let unknown = OpType.info
        var allowed = deadlineSeconds
        if process == nil {
            allowed += startupSeconds
            do {
                process = try PipedProcess.start(argv)
                starts += 1
                stdoutBuffer = []
                exitedStatus = nil
                stderrTail = OutputTail(limit: 4096)
            } catch {
                return ClientResponse(type: .fail, value: request.value, error: "stdio client for \(node) cannot start: \(error.message)")
            }
        }
        guard let p = process else { return ClientResponse(type: .fail, value: request.value, error: "no client process") }
        let id = nextID
        nextID += 1
        var line = ""
        JSONValue.object(requestObject(request, id: id)).write(to: &line)
        line += "\n"
        let deadline = Date().addingTimeInterval(allowed)
        switch writeAll(Array(line.utf8), to: p, until: deadline) {
        case .done: break
        case .timedOut: return abandon(request, unknown, "the client did not read its request within \(seconds(allowed))")
        case .closed: return abandon(request, .fail, "the client program has exited\(exitSuffix(p))")
        }
        switch readLine(from: p, until: deadline) {
        case .line(let text): return answer(text, request: request, id: id, unknown: unknown)
        case .timedOut: return abandon(request, unknown, "no answer within \(seconds(allowed)) (Schism's deadline: the client timeout plus its grace\(allowed > deadlineSeconds ? ", plus the startup allowance" : ""))")
        case .closed: return abandon(request, unknown, "the client program exited before answering\(exitSuffix(p))")
        case .tooLong: return abandon(request, unknown, "the client printed a line longer than \(Self.maxLineBytes) bytes")
        }
    }

    /// Kills the client program (by PID) and stops the client's thread.
    public func close() async {
        process?.kill()
        process = nil
        executor.shutdown()
    }

    private func requestObject(_ request: ClientRequest, id: Int64) -> [String: JSONValue] {
        var o: [String: JSONValue] = ["id": .int(id), "f": .string(request.f), "value": request.value]
        if let key = request.key { o["key"] = .string(keyPrefix + key) }
        return o
    }

    /// Turns an answer line into a response; a line that is not one kills the client.
    private func answer(_ text: String, request: ClientRequest, id: Int64, unknown: OpType) -> ClientResponse {
        let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
        guard case .object(let o)? = try? JSONValue.parse(text) else {
            return abandon(request, unknown, "the client printed something that is not a JSON object: \(shown)")
        }
        if let got = o["id"], got != .int(id) {
            return abandon(request, unknown, "the client answered id \(got.jsonText) to request \(id): \(shown)")
        }
        let error = o["error"]?.stringValue ?? o["error"].map(\.jsonText)
        switch o["type"]?.stringValue {
        case "ok":
            let value = request.f == "read" ? (o["value"] ?? .null) : request.value
            return ClientResponse(type: .ok, value: value, error: nil, version: o["version"]?.intValue)
        case "fail":
            return ClientResponse(type: .fail, value: request.value, error: error ?? "failed (the client gave no reason)")
        case "info":
            return ClientResponse(type: unknown, value: request.value, error: error ?? "outcome unknown (the client gave no reason)")
        default:
            return abandon(request, unknown, "the client's answer has no \"type\" of ok, fail or info: \(shown)")
        }
    }

    /// Ends the client program after a broken exchange; the next request starts a fresh one.
    private func abandon(_ request: ClientRequest, _ type: OpType, _ why: String) -> ClientResponse {
        var message = "stdio client for \(node): \(why)"
        if let p = process {
            let status = exitedStatus ?? p.exitStatus()
            p.kill(reaped: status != nil)
            message += "; killed pid \(p.pid), a new client starts with the next request"
        }
        drainedStderr().map { message += "; its stderr ends: \($0)" }
        process = nil
        return ClientResponse(type: type, value: request.value, error: message)
    }

    private func drainedStderr() -> String? {
        let text = String(decoding: stderrTail.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        return tailLines(text, maxLines: 3, maxBytes: 400).replacingOccurrences(of: "\n", with: " | ")
    }

    /// ` (exit status N)` once the exited program is reaped (waits at most 100 ms).
    private func exitSuffix(_ p: PipedProcess) -> String {
        for _ in 0..<20 {
            if let status = p.exitStatus() {
                exitedStatus = status
                return " (exit status \(status))"
            }
            usleep(5_000)
        }
        return ""
    }

    private enum WriteOutcome { case done, timedOut, closed }
    private enum ReadOutcome { case line(String), timedOut, closed, tooLong }

    private func writeAll(_ bytes: [UInt8], to p: PipedProcess, until deadline: Date) -> WriteOutcome {
        var offset = 0
        for _ in 0..<100_000 {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(p.stdinFD, base + offset, raw.count - offset)
            }
            if n > 0 { offset += n }
            if offset >= bytes.count { return .done }
            if n < 0 && errno != EAGAIN && errno != EINTR { return .closed }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return .timedOut }
            var pfd = pollfd(fd: p.stdinFD, events: Int16(POLLOUT), revents: 0)
            _ = poll(&pfd, 1, Int32(min(left * 1000, 50)) + 1)
            drainStderr(p)
        }
        return .timedOut
    }

    private func readLine(from p: PipedProcess, until deadline: Date) -> ReadOutcome {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var stdoutOpen = true
        for _ in 0..<1_000_000 {
            if let nl = stdoutBuffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: stdoutBuffer[..<nl], as: UTF8.self)
                stdoutBuffer.removeSubrange(...nl)
                if line.allSatisfy(\.isWhitespace) { continue }
                return .line(line)
            }
            if stdoutBuffer.count > Self.maxLineBytes { return .tooLong }
            if !stdoutOpen { return .closed }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return .timedOut }
            var fds = [pollfd(fd: p.stdoutFD, events: Int16(POLLIN), revents: 0), pollfd(fd: p.stderrFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, Int32(min(left * 1000, 100)) + 1)
            if fds[1].revents != 0 { drainStderr(p) }
            if fds[0].revents != 0 {
                let n = read(p.stdoutFD, &chunk, chunk.count)
                if n > 0 {
                    stdoutBuffer.append(contentsOf: chunk[0..<n])
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    stdoutOpen = false
                    drainStderr(p)
                }
            }
        }
        return .timedOut
    }

    /// Reads what the client wrote to stderr so far (keeping the tail), without blocking.
    private func drainStderr(_ p: PipedProcess) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<64 {
            let n = read(p.stderrFD, &chunk, chunk.count)
            guard n > 0 else { return }
            stderrTail.append(contentsOf: chunk[0..<n])
        }
    }

    private func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.2g s", s)
    }
}

/// Makes one ``StdioClient`` per worker, with the command's placeholders filled in for its node.
public struct StdioClientFactory: ClientFactory {
    /// The client program's command (placeholders: ``BinaryConfig/clientPlaceholders``).
    public let command: CommandTemplate
    /// Seconds added to the client timeout before Schism gives up on the program.
    public let graceSeconds: Double
    /// Seconds more for a request that starts the program.
    public let startupSeconds: Double
    /// The server's port (`{port}`).
    public let port: Int?

    /// A factory; ignores SIGPIPE in this process, so that writing to a client program that
    /// has exited is an error (EPIPE) to handle, not a signal that ends Schism.
    public init(command: CommandTemplate, graceSeconds: Double, startupSeconds: Double = 5, port: Int?) {
        self.command = command
        self.graceSeconds = graceSeconds
        self.startupSeconds = startupSeconds
        self.port = port
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// A client for `node`: the program starts with the first request.
    public func makeClient(node: NodeConfig, options: ClientOptions) throws(SystemError) -> any Client {
        guard options.timeoutSeconds > 0, options.timeoutSeconds.isFinite else {
            throw SystemError(node: node.name, message: "client timeout must be positive, got \(options.timeoutSeconds)")
        }
        let values = [
            "node": node.name, "address": node.host, "port": port.map(String.init) ?? "",
            "timeout": String(options.timeoutSeconds), "timeout-ms": String(Int(options.timeoutSeconds * 1000)),
        ]
        return StdioClient(
            argv: command.argv(values), node: node.name, deadlineSeconds: options.timeoutSeconds + graceSeconds,
            startupSeconds: startupSeconds, keyPrefix: options.keyPrefix)
    }
}
