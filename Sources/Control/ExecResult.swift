/// What a command did on a node: its exit status and the (tails of the) output it wrote.
public struct ExecResult: Sendable, Hashable {
    /// The node the command ran on.
    public var node: String
    /// The command, as shown in messages.
    public var command: String
    /// The exit status; -1 when the command was ended by a signal and no status was sent.
    public var exitStatus: Int32
    /// Standard output (its last `outputLimitBytes` bytes).
    public var stdout: [UInt8]
    /// Standard error (its last `outputLimitBytes` bytes).
    public var stderr: [UInt8]
    /// Bytes of stdout dropped from the front because of the output limit.
    public var stdoutDroppedBytes: Int
    /// Bytes of stderr dropped from the front because of the output limit.
    public var stderrDroppedBytes: Int
    /// Wall-clock seconds from sending the command to its exit.
    public var durationSeconds: Double

    /// Creates a result.
    public init(
        node: String, command: String, exitStatus: Int32, stdout: [UInt8] = [], stderr: [UInt8] = [],
        stdoutDroppedBytes: Int = 0, stderrDroppedBytes: Int = 0, durationSeconds: Double = 0
    ) {
        self.node = node
        self.command = command
        self.exitStatus = exitStatus
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutDroppedBytes = stdoutDroppedBytes
        self.stderrDroppedBytes = stderrDroppedBytes
        self.durationSeconds = durationSeconds
    }

    /// Standard output decoded as UTF-8 (invalid bytes replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error decoded as UTF-8 (invalid bytes replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    /// Whether the command exited with status 0.
    public var succeeded: Bool { exitStatus == 0 }

    /// Returns self when the exit status is 0, else throws ``RemoteError`` `.commandFailed`.
    @discardableResult
    public func checked() throws(RemoteError) -> ExecResult {
        guard succeeded else {
            throw RemoteError(
                .commandFailed, node: node, command: command, exitStatus: exitStatus,
                stderrTail: tailLines(stderrText),
                message: "exited with status \(exitStatus)")
        }
        return self
    }
}
