import Control
import Systems

/// Makes ``PostgresClient``s: every client connects to the primary (the first node), whatever
/// node the runner assigns it (`options.nodes`; the assigned node when they are not given), as
/// clients of a single-primary deployment do.
public struct PostgresClientFactory: ClientFactory {
    public let config: PostgresConfig

    public init(config: PostgresConfig) {
        self.config = config
    }

    public func makeClient(node: NodeConfig, options: ClientOptions) throws(SystemError) -> any Client {
        guard options.timeoutSeconds > 0, options.timeoutSeconds.isFinite else {
            throw SystemError(node: node.name, message: "client timeout must be positive, got \(options.timeoutSeconds)")
        }
        return PostgresClient(
            primary: PostgresConfig.primary(of: options.nodes) ?? node, config: config,
            tables: PostgresTables(keyPrefix: options.keyPrefix, workloadKind: options.workloadKind),
            timeoutSeconds: options.timeoutSeconds)
    }
}
