import AsyncHTTPClient
import Control
import Systems
import NIOCore
import Synchronization

/// Makes ``EtcdClient``s that share one `HTTPClient` (one connection pool per member).
///
/// The pool is created by the first ``makeClient(node:options:)``, so making a factory (as the
/// plug-in's `configure` does) holds nothing that must be released. It never retries a failed
/// connection (`retryConnectionEstablishment = false`) and gives up connecting after
/// `connectTimeoutSeconds`, so "refused" and "connect timeout" reliably mean the request was
/// never sent (`fail`). Keep the connect timeout below the request timeout, or a connect to a
/// partitioned node ends at the request's deadline instead, which is `info`. Call
/// ``shutdown()`` once, after the last request.
public final class EtcdClientFactory: ClientFactory {
    /// The deployment settings (the client port, and whether reads are serializable).
    public let config: EtcdConfig
    /// Seconds a TCP connect may take before the request fails as never sent.
    public let connectTimeoutSeconds: Double
    /// Connections at most per member.
    public let connectionsPerNode: Int
    /// The shared HTTP client, once a client was made; nil again after ``shutdown()``.
    private let http = Mutex<HTTPClient?>(nil)

    /// Creates the factory; the connection pool comes with the first client.
    public init(config: EtcdConfig = EtcdConfig(), connectTimeoutSeconds: Double = 0.5, connectionsPerNode: Int = 64) {
        self.config = config
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.connectionsPerNode = connectionsPerNode
    }

    /// A client for `node`'s member, each request bounded by the options' timeout, every key
    /// under the options' prefix.
    public func makeClient(node: NodeConfig, options: ClientOptions) throws(SystemError) -> any Client {
        let timeoutSeconds = options.timeoutSeconds
        guard timeoutSeconds > 0, timeoutSeconds.isFinite else {
            throw SystemError(node: node.name, message: "client timeout must be positive, got \(timeoutSeconds)")
        }
        return EtcdClient(
            node: node, http: sharedHTTPClient(), baseURL: config.clientURL(node), timeoutSeconds: timeoutSeconds,
            keyPrefix: options.keyPrefix, serializableReads: config.serializableReads,
            listReads: options.workloadKind != "rw-register")
    }

    /// Closes every connection; clients made before fail afterwards (as never sent), and a
    /// client made after starts a new pool that needs another `shutdown()`.
    public func shutdown() async {
        let client = http.withLock { current in
            defer { current = nil }
            return current
        }
        try? await client?.shutdown()
    }

    /// The pool, created on first use.
    private func sharedHTTPClient() -> HTTPClient {
        http.withLock { current in
            if let current { return current }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(connect: .nanoseconds(Int64(connectTimeoutSeconds * 1e9)))
            configuration.connectionPool = .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connectionsPerNode))
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.redirectConfiguration = .disallow
            configuration.httpVersion = .http1Only
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            current = client
            return client
        }
    }
}
