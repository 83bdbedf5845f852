/// A node Schism controls: run commands on it and move files to and from it.
///
/// Backends: ``SSHRemote`` (libssh, one reused connection per node), ``LocalRemote``
/// (this machine, for the controller's own commands) and `FakeRemote` in `ControlTestKit`.
/// Every method is safe to call from many tasks at once; a backend bounds its own
/// concurrency (``SSHRemote`` runs at most 8 commands at a time per connection).
public protocol Remote: Sendable {
    /// The node's name, as in the nodes file (used in every message).
    var node: String { get }

    /// Opens the connection now (exec and file transfers also connect on first use).
    func connect() async throws(RemoteError)

    /// Runs a command and returns its exit status and output, whatever the status.
    ///
    /// Throws ``RemoteError`` for a timeout (the command is stopped on the node), an
    /// unreachable node or a broken connection; a non-zero exit is *not* an error here
    /// (use ``ExecResult/checked()`` or ``Remote/run(_:timeoutSeconds:sudo:)``).
    func exec(_ command: RemoteCommand) async throws(RemoteError) -> ExecResult

    /// Copies a local file to `remotePath` (created or replaced), with permissions `mode`.
    func upload(localPath: String, remotePath: String, mode: UInt32) async throws(RemoteError)

    /// Copies the remote file at `remotePath` to `localPath` (created or replaced).
    func download(remotePath: String, localPath: String) async throws(RemoteError)

    /// Closes the connection; a later call connects again.
    func close() async
}

extension Remote {
    /// Runs an argument vector and throws unless it exits 0; returns its stdout as text.
    @discardableResult
    public func run(
        _ argv: [String], timeoutSeconds: Double = RemoteCommand.defaultTimeoutSeconds, sudo: Bool = false
    ) async throws(RemoteError) -> String {
        let result = try await exec(RemoteCommand(argv: argv, timeoutSeconds: timeoutSeconds, sudo: sudo))
        return try result.checked().stdoutText
    }

    /// Runs a shell script and throws unless it exits 0; returns its stdout as text.
    @discardableResult
    public func runScript(
        _ script: String, timeoutSeconds: Double = RemoteCommand.defaultTimeoutSeconds, sudo: Bool = false
    ) async throws(RemoteError) -> String {
        let result = try await exec(RemoteCommand(script: script, timeoutSeconds: timeoutSeconds, sudo: sudo))
        return try result.checked().stdoutText
    }

    /// Copies a local file to a path only root may write: uploads to /tmp, then `sudo install`s it.
    public func uploadAsRoot(localPath: String, remotePath: String, mode: UInt32 = 0o644) async throws(RemoteError) {
        let staging = "/tmp/schism-upload-\(UInt64.random(in: 0...UInt64.max))"
        try await upload(localPath: localPath, remotePath: staging, mode: 0o600)
        let modeText = String(mode, radix: 8)
        try await runScript(
            "install -m \(modeText) \(ShellQuote.quote(staging)) \(ShellQuote.quote(remotePath)); s=$?; "
                + "rm -f \(ShellQuote.quote(staging)); exit $s",
            sudo: true)
    }
}
