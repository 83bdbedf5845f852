import AsyncHTTPClient
import Histories
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Turns what happened to one gateway request into a history completion: `ok`, `fail` or `info`
/// (its transport rules are shared by the http-kv client of bring-your-own systems).
///
/// The rule: `fail` only when the operation certainly did not take effect. A request that
/// never left (refused, connect timeout, unresolvable host) or that etcd rejected before
/// proposing it (a 4xx answer) is `fail`; one that may have reached etcd and got no clear
/// answer (deadline exceeded, connection reset or closed, a 5xx such as "request timed
/// out" or "leader changed") is `info`. Reads have no effect, so every failed read is `fail`.
public enum EtcdOutcome {
    /// What came back: an HTTP answer, or a transport error.
    public enum Result {
        case answer(status: Int, body: String)
        case error(any Error)
    }

    /// The completion type for a failed request: `fail` when certainly not applied, else `info`.
    static func failureType(isRead: Bool, definite: Bool) -> OpType {
        isRead || definite ? .fail : .info
    }

    /// Whether an HTTP status means etcd rejected the request before it could take effect.
    ///
    /// grpc-gateway maps InvalidArgument, FailedPrecondition, OutOfRange to 400,
    /// Unauthenticated 401, PermissionDenied 403, NotFound 404, ResourceExhausted ("too many
    /// requests") 429: all checked before a proposal. 408 (Canceled), 500 (Unknown), 503
    /// (Unavailable: "request timed out", "leader changed", "no leader") and 504
    /// (DeadlineExceeded) may follow a proposal.
    static func isDefiniteRejection(status: Int) -> Bool {
        (400..<500).contains(status) && status != 408
    }

    /// Whether a transport error happened before the request could be sent.
    public static func neverSent(_ error: any Error) -> Bool {
        if let e = error as? HTTPClientError {
            return e == .connectTimeout || e == .alreadyShutdown || e == .invalidURL || e == .emptyHost
        }
        if error is NIOConnectionError { return true }
        if let e = error as? ChannelError, case .connectTimeout = e { return true }
        if let e = error as? IOError {
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(e.errnoCode)
        }
        return false
    }

    /// A short message for a transport error (`timeout after 1s`, `connection refused`, ...).
    public static func message(for error: any Error, timeoutSeconds: Double) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded: return "timeout after \(formatSeconds(timeoutSeconds))"
            case .connectTimeout: return "connect timeout"
            case .readTimeout: return "read timeout"
            case .remoteConnectionClosed: return "connection closed by the server"
            default: return e.description
            }
        }
        if let e = error as? IOError {
            if e.errnoCode == ECONNREFUSED { return "connection refused" }
            if e.errnoCode == ECONNRESET { return "connection reset" }
        }
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return "cannot connect: \(first.error)" }
            if let dns = e.dnsAError ?? e.dnsAAAAError { return "cannot resolve \(e.host): \(dns)" }
            return "cannot connect to \(e.host):\(e.port)"
        }
        return String(describing: error)
    }

    /// `1s`, `0.5s`.
    static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
}
