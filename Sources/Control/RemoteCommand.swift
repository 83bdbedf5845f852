import Foundation

/// A command to run on a node: what to run, what to feed it, and how long it may take.
///
/// The command is a shell script (run by `sh -c` on the node). Build it from an argument
/// vector with `RemoteCommand(argv:)`, which quotes each word with ``ShellQuote``, or pass a
/// script with `RemoteCommand(script:)` when you need pipes or redirections.
public struct RemoteCommand: Sendable, Hashable, CustomStringConvertible {
    /// The shell script run with `sh -c` on the node.
    public var script: String
    /// Bytes written to the command's standard input, followed by end-of-file. `nil`: no input.
    public var stdin: [UInt8]?
    /// Seconds the command may run; afterwards it is stopped on the node and the call throws.
    public var timeoutSeconds: Double
    /// Run as root through `sudo` (ignored when the node's user is already root).
    public var sudo: Bool
    /// Bytes kept of each of stdout and stderr; beyond this only the tail is kept.
    public var outputLimitBytes: Int

    /// Default seconds a command may run.
    public static let defaultTimeoutSeconds: Double = 60
    /// Default bytes kept of each output stream (1 MiB).
    public static let defaultOutputLimitBytes = 1 << 20

    /// Creates a command from a shell script.
    public init(
        script: String, stdin: [UInt8]? = nil, timeoutSeconds: Double = RemoteCommand.defaultTimeoutSeconds,
        sudo: Bool = false, outputLimitBytes: Int = RemoteCommand.defaultOutputLimitBytes
    ) {
        self.script = script
        self.stdin = stdin
        self.timeoutSeconds = timeoutSeconds
        self.sudo = sudo
        self.outputLimitBytes = max(1024, outputLimitBytes)
    }

    /// Creates a command from an argument vector; every word is quoted.
    public init(
        argv: [String], stdin: [UInt8]? = nil, timeoutSeconds: Double = RemoteCommand.defaultTimeoutSeconds,
        sudo: Bool = false, outputLimitBytes: Int = RemoteCommand.defaultOutputLimitBytes
    ) {
        self.init(
            script: ShellQuote.join(argv), stdin: stdin, timeoutSeconds: timeoutSeconds, sudo: sudo,
            outputLimitBytes: outputLimitBytes)
    }

    /// Creates a command whose standard input is the UTF-8 of `input`.
    public func withInput(_ input: String) -> RemoteCommand {
        var copy = self
        copy.stdin = Array(input.utf8)
        return copy
    }

    /// The script, shortened for messages and logs (never includes stdin or a sudo password).
    public var description: String {
        let flat = script.replacingOccurrences(of: "\n", with: "; ")
        let shown = flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
        return sudo ? "sudo " + shown : shown
    }
}
