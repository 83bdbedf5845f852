import CLibSSH
import Foundation

/// A node reached over SSH with libssh: one connection, reused for every command.
///
/// The actor runs on its own thread (a ``ThreadExecutor``), because libssh blocks and a
/// session must be used by one thread at a time. Up to `maxChannels` commands and
/// transfers run at once on the one connection, interleaved at await points. A command
/// whose connection broke *before it started* is retried on a new connection (bounded by
/// `attempts`); one that broke while running fails with `.connectionLost`, since it may
/// have run.
public actor SSHRemote: Remote {
    /// The node's name.
    public nonisolated let node: String
    /// The node's settings.
    public nonisolated let config: NodeConfig
    /// Connection options.
    public nonisolated let options: SSHOptions

    private let executor: ThreadExecutor
    var connection: SSHConnection?
    private var slotsInUse = 0
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []

    /// Runs the actor on its own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Creates a remote for a node; nothing connects until first use or ``connect()``.
    public init(_ config: NodeConfig, options: SSHOptions = SSHOptions()) {
        self.node = config.name
        self.config = config
        self.options = options
        self.executor = ThreadExecutor(name: "ssh-\(config.name)")
    }

    deinit {
        executor.shutdown()
    }

    /// Connects now if not connected (strict host-key check, then authentication).
    public func connect() async throws(RemoteError) {
        _ = try liveConnection()
    }

    /// Disconnects; the next call reconnects.
    public func close() async {
        connection = nil
    }

    /// The open connection, or a new one.
    func liveConnection() throws(RemoteError) -> SSHConnection {
        if let connection, connection.isConnected { return connection }
        connection = nil
        let fresh = try SSHConnection(node: config, options: options)
        connection = fresh
        return fresh
    }

    /// Runs a command; see ``Remote/exec(_:)``.
    public func exec(_ command: RemoteCommand) async throws(RemoteError) -> ExecResult {
        await acquireSlot()
        defer { releaseSlot() }
        return try await withRetries { () async throws(ChannelFailure) -> ExecResult in
            try await self.runOnChannel(command)
        }
    }

    /// Copies a local file to the node (SFTP; `cat` over exec when the server has no SFTP).
    public func upload(localPath: String, remotePath: String, mode: UInt32 = 0o644) async throws(RemoteError) {
        await acquireSlot()
        defer { releaseSlot() }
        try await withRetries { () async throws(ChannelFailure) in
            try await self.transferUpload(localPath: localPath, remotePath: remotePath, mode: mode)
        }
    }

    /// Copies a file from the node (SFTP; `cat` over exec when the server has no SFTP).
    public func download(remotePath: String, localPath: String) async throws(RemoteError) {
        await acquireSlot()
        defer { releaseSlot() }
        try await withRetries { () async throws(ChannelFailure) in
            try await self.transferDownload(remotePath: remotePath, localPath: localPath)
        }
    }

    /// Runs `body`, reconnecting and retrying when the channel could not even be opened.
    private func withRetries<T>(
        _ body: () async throws(ChannelFailure) -> T
    ) async throws(RemoteError) -> T {
        var lastError: RemoteError?
        for attempt in 0..<options.attempts {
            if attempt > 0 {
                // 100 ms, 300 ms, 900 ms... between attempts.
                let delay = 100_000_000 * UInt64(pow(3.0, Double(attempt - 1)))
                try? await Task.sleep(nanoseconds: min(delay, 2_000_000_000))
            }
            let started = Date()
            do {
                return try await body()
            } catch {
                switch error {
                case .notStarted(let cause):
                    connection = nil
                    lastError = cause
                    if cause.kind != .unreachable && cause.kind != .connectionLost { throw cause }
                    // A connect that timed out is not retried: the node gets one connect timeout.
                    let slow = Date().timeIntervalSince(started) >= config.connectTimeoutSeconds * 0.5
                    if cause.kind == .unreachable && slow { throw cause }
                case .failed(let cause):
                    if cause.kind == .connectionLost { connection = nil }
                    throw cause
                }
            }
        }
        throw lastError ?? RemoteError(.internalError, node: node, message: "no attempt was made")
    }

    private func acquireSlot() async {
        if slotsInUse < options.maxChannels {
            slotsInUse += 1
            return
        }
        await withCheckedContinuation { slotWaiters.append($0) }
    }

    private func releaseSlot() {
        if slotWaiters.isEmpty {
            slotsInUse -= 1
        } else {
            slotWaiters.removeFirst().resume()
        }
    }
}

/// Why a channel operation failed: before the command started (safe to retry) or after.
enum ChannelFailure: Error {
    case notStarted(RemoteError)
    case failed(RemoteError)
}
