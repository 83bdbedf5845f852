import Control

/// A failure of the system under test's lifecycle, with the node and what was being done.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public var node: String?
    public var message: String
    /// The command's stderr tail or the server log's tail, when there is one.
    public var detail: String

    public init(node: String?, message: String, detail: String = "") {
        self.node = node
        self.message = message
        self.detail = detail
    }

    public init(_ error: RemoteError, doing what: String) {
        self.init(node: error.node, message: "\(what): \(error.description)")
    }

    public var description: String {
        var s = node.map { "\($0): " } ?? ""
        s += message
        if !detail.isEmpty { s += "\n" + detail }
        return s
    }
}
