import Control
import Systems

/// A fault that could not be started, stopped or healed, with its full context.
public struct NemesisError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable, Hashable {
        /// The fault is refused before anything ran (unsafe clock fault, missing capability).
        case refused
        /// A command on a node failed.
        case commandFailed
        /// The fault journal could not be written or read.
        case journal
        /// A fault name that no registered family offers (or `none` mixed with others).
        case unknownFault
    }

    /// The class of failure.
    public var kind: Kind
    /// The node, when one is concerned.
    public var node: String?
    /// The command, as shown in messages.
    public var command: String?
    /// The tail of the command's stderr.
    public var stderrTail: String
    /// What went wrong, in one sentence.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, node: String? = nil, command: String? = nil, stderrTail: String = "", message: String) {
        self.kind = kind
        self.node = node
        self.command = command
        self.stderrTail = stderrTail
        self.message = message
    }

    /// Wraps a failed remote command.
    public init(_ error: RemoteError, doing what: String) {
        self.init(
            .commandFailed, node: error.node, command: error.command, stderrTail: error.stderrTail,
            message: "\(what): \(error.message)")
    }

    /// Wraps a failed database lifecycle call.
    public init(_ error: SystemError, doing what: String) {
        self.init(.commandFailed, node: error.node, stderrTail: error.detail, message: "\(what): \(error.message)")
    }

    /// One line, plus the stderr tail on the following lines.
    public var description: String {
        var out = node.map { "\($0): " } ?? ""
        if let command { out += "`\(command)`: " }
        out += message
        if !stderrTail.isEmpty { out += "\n  stderr (tail): " + stderrTail }
        return out
    }

    /// The same failure as a ``NodeFailure`` for an event (node "-" when none).
    public var nodeFailure: NodeFailure {
        var text = message
        if let command { text += " (`\(command)`)" }
        if !stderrTail.isEmpty { text += ": " + stderrTail }
        return NodeFailure(node: node ?? "-", message: text)
    }
}
