import Control
import Foundation
import Synchronization

/// A scripted ``Remote`` for unit tests: records every command, answers from a handler,
/// and keeps uploaded files in memory.
///
/// ```swift
/// let fake = FakeRemote(node: "n1") { command in
///     command.script.hasPrefix("cat") ? .ok("hello\n") : .ok()
/// }
/// ```
public final class FakeRemote: Remote {
    /// A canned reply to a command.
    public enum Reply: Sendable {
        /// Exit status, stdout and stderr.
        case exit(Int32, stdout: String = "", stderr: String = "")
        /// Throw this error (a timeout, an unreachable node...).
        case fail(RemoteError.Kind, message: String = "injected by FakeRemote")

        /// Exit 0 with this stdout.
        public static func ok(_ stdout: String = "") -> Reply { .exit(0, stdout: stdout) }
    }

    private struct State {
        var commands: [RemoteCommand] = []
        var files: [String: [UInt8]] = [:]
        var connected = false
        var connects = 0
    }

    /// The node's name.
    public let node: String
    private let handler: @Sendable (RemoteCommand) -> Reply
    private let state = Mutex(State())

    /// Creates a fake whose commands are answered by `handler` (default: exit 0, no output).
    public init(node: String, handler: @escaping @Sendable (RemoteCommand) -> Reply = { _ in .ok() }) {
        self.node = node
        self.handler = handler
    }

    /// Every command run so far, in order.
    public var commands: [RemoteCommand] { state.withLock { $0.commands } }
    /// The scripts of every command run so far.
    public var scripts: [String] { commands.map(\.script) }
    /// Files uploaded (or seeded), by remote path.
    public var files: [String: [UInt8]] { state.withLock { $0.files } }
    /// How many times ``connect()`` ran.
    public var connectCount: Int { state.withLock { $0.connects } }

    /// Puts a file on the fake node, for a later download.
    public func seed(path: String, contents: [UInt8]) {
        state.withLock { $0.files[path] = contents }
    }

    /// Marks the fake connected.
    public func connect() async throws(RemoteError) {
        state.withLock {
            $0.connected = true
            $0.connects += 1
        }
    }

    /// Records the command and answers with the handler's reply.
    public func exec(_ command: RemoteCommand) async throws(RemoteError) -> ExecResult {
        state.withLock { $0.commands.append(command) }
        switch handler(command) {
        case .exit(let status, let stdout, let stderr):
            return ExecResult(
                node: node, command: command.description, exitStatus: status, stdout: Array(stdout.utf8),
                stderr: Array(stderr.utf8))
        case .fail(let kind, let message):
            throw RemoteError(kind, node: node, command: command.description, message: message)
        }
    }

    /// Stores the local file's bytes under `remotePath`.
    public func upload(localPath: String, remotePath: String, mode: UInt32) async throws(RemoteError) {
        guard let data = FileManager.default.contents(atPath: localPath) else {
            throw RemoteError(.localFileMissing, node: node, message: "cannot read '\(localPath)'")
        }
        state.withLock { $0.files[remotePath] = [UInt8](data) }
    }

    /// Writes the stored bytes of `remotePath` to `localPath`.
    public func download(remotePath: String, localPath: String) async throws(RemoteError) {
        guard let bytes = state.withLock({ $0.files[remotePath] }) else {
            throw RemoteError(.transferFailed, node: node, message: "no such file '\(remotePath)' on the fake node")
        }
        guard FileManager.default.createFile(atPath: localPath, contents: Data(bytes)) else {
            throw RemoteError(.localFileUnwritable, node: node, message: "cannot write '\(localPath)'")
        }
    }

    /// Marks the fake disconnected.
    public func close() async {
        state.withLock { $0.connected = false }
    }
}
