import Basics

/// An error from running a command or moving a file on a node, with its full context.
///
/// Every error names the node, the command (when there is one), the exit status and the
/// tail of stderr where known, and says how to fix it when Schism knows how.
public struct RemoteError: Error, Sendable, CustomStringConvertible {
    /// The class of failure; each maps to a documented process exit code.
    public enum Kind: String, Sendable, Hashable {
        /// The host key is not in known_hosts (exit 77).
        case hostKeyUnknown
        /// The host key differs from the one in known_hosts (exit 77).
        case hostKeyChanged
        /// The node refused every key we offered (exit 77).
        case authenticationFailed
        /// No SSH connection could be made within the connect timeout (exit 69).
        case unreachable
        /// The connection broke while a command ran; it may or may not have run (exit 69).
        case connectionLost
        /// The command ran longer than its timeout and was stopped on the node (exit 1).
        case timedOut
        /// The command exited with a non-zero status (exit 1).
        case commandFailed
        /// A local file to read is missing or unreadable (exit 66).
        case localFileMissing
        /// A local file could not be created or written (exit 73).
        case localFileUnwritable
        /// A remote file could not be read or written (exit 74).
        case transferFailed
        /// An unexpected failure inside Schism or libssh (exit 70).
        case internalError
    }

    /// The class of failure.
    public var kind: Kind
    /// The node's name, as in the nodes file.
    public var node: String
    /// The command, as shown in messages (nil for connection and file errors).
    public var command: String?
    /// The command's exit status, when it exited.
    public var exitStatus: Int32?
    /// The last lines of the command's stderr, when there was any.
    public var stderrTail: String
    /// What went wrong, in one sentence.
    public var message: String
    /// How to fix it, when known.
    public var hint: String?

    /// Creates an error.
    public init(
        _ kind: Kind, node: String, command: String? = nil, exitStatus: Int32? = nil,
        stderrTail: String = "", message: String, hint: String? = nil
    ) {
        self.kind = kind
        self.node = node
        self.command = command
        self.exitStatus = exitStatus
        self.stderrTail = stderrTail
        self.message = message
        self.hint = hint
    }

    /// The process exit code for this class of failure (documented in docs/cluster.md).
    public var exitCode: Int32 {
        switch kind {
        case .hostKeyUnknown, .hostKeyChanged, .authenticationFailed: return ExitStatus.permission
        case .unreachable, .connectionLost: return ExitStatus.unavailable
        case .timedOut, .commandFailed: return 1
        case .localFileMissing: return ExitStatus.noInput
        case .localFileUnwritable: return ExitStatus.cannotCreate
        case .transferFailed: return 74
        case .internalError: return ExitStatus.internalError
        }
    }

    /// Whether the command surely never started, so running it again is safe.
    public var isRetryableTransportFailure: Bool {
        kind == .unreachable
    }

    /// A multi-line message: node, command, what happened, stderr tail, and the fix.
    public var description: String {
        var out = "\(node): "
        if let command { out += "`\(command)`: " }
        out += message
        if !stderrTail.isEmpty {
            out += "\n  stderr (tail):\n" + stderrTail.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }.joined(separator: "\n")
        }
        if let hint { out += "\n  fix: " + hint }
        return out
    }
}
