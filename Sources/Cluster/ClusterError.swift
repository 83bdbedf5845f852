/// Why the local cluster could not be created, inspected or removed; says how to fix it.
public struct ClusterError: Error, Sendable, CustomStringConvertible {
    /// The class of failure; each maps to a documented exit code.
    public enum Kind: String, Sendable {
        /// Not running as root (exit 77).
        case notRoot
        /// Debian packages the cluster needs are missing (exit 69).
        case missingPackages
        /// Bad cluster parameters such as a node count out of range (exit 64).
        case badRequest
        /// No cluster of that name is up (exit 66).
        case notUp
        /// Something could not be created: a namespace, link, key, daemon (exit 73).
        case cannotCreate
        /// Something could not be removed (exit 70).
        case cannotRemove
    }

    /// The class of failure.
    public var kind: Kind
    /// What went wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?
    /// Output of the command that failed, when there was one.
    public var detail: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, hint: String? = nil, detail: String = "") {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.detail = detail
    }

    /// The documented process exit code.
    public var exitCode: Int32 {
        switch kind {
        case .notRoot: return 77
        case .missingPackages: return 69
        case .badRequest: return 64
        case .notUp: return 66
        case .cannotCreate: return 73
        case .cannotRemove: return 70
        }
    }

    /// Message, detail and fix, on separate lines.
    public var description: String {
        var out = message
        if !detail.isEmpty {
            out += "\n" + detail.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        }
        if let hint { out += "\n  fix: " + hint }
        return out
    }
}
