import Control
import Systems

/// How Redis is deployed (one primary, replicas, a Sentinel on every node) and how clients use it.
///
/// The defaults match Debian's `redis-server` and `redis-sentinel` packages (Redis 7) and
/// Redis's standard ports. Every path on a node lives under `<node.dataDir>/redis` (see
/// ``RedisLayout``). Sentinel's timings are short so a failover fits in a short test: a primary
/// unreachable for `downAfterMilliseconds` is subjectively down; when a quorum of Sentinels
/// agrees, one of them (elected by a majority) promotes a replica.
public struct RedisConfig: Sendable, Hashable {
    /// The Redis binary on the nodes (Debian: `redis-server`; the same program runs Sentinel).
    public var serverBinary: String
    /// Port of redis-server.
    public var port: Int
    /// Port of redis-sentinel.
    public var sentinelPort: Int
    /// Name of the monitored primary in Sentinel (`SENTINEL get-master-addr-by-name NAME`).
    public var masterName: String
    /// Sentinels that must agree the primary is down before a failover; nil: a majority of the nodes.
    public var quorum: Int?
    /// Milliseconds without an answer before a Sentinel thinks the primary is down.
    public var downAfterMilliseconds: Int
    /// Sentinel's failover timeout in milliseconds (also the least time between two failovers of the same primary).
    public var failoverTimeoutMilliseconds: Int
    /// Whether clients read from the worker's own node, even when it is a replica (may be stale).
    public var replicaReads: Bool
    /// Replicas a write waits for with `WAIT n` after it is applied; 0: no WAIT.
    public var waitReplicas: Int
    /// Milliseconds `WAIT` may block (kept below the client's timeout).
    public var waitTimeoutMilliseconds: Int
    /// Whether redis-server keeps an append-only file (`appendonly yes`, fsync every second), so a
    /// killed server comes back with its data.
    public var appendOnly: Bool
    /// Seconds `setup` waits for replication and Sentinel to be ready.
    public var readyTimeoutSeconds: Double
    /// Seconds a lifecycle command (kill, pause, start) may run on a node.
    public var commandTimeoutSeconds: Double
    /// Run lifecycle commands through `sudo` when the node's user is not root.
    public var sudo: Bool
    /// Extra `key value` lines for redis.conf (e.g. `min-replicas-to-write 1`).
    public var extraConfig: [String]

    /// Where Debian's `redis-server` package installs Redis.
    public static let debianServerBinary = "/usr/bin/redis-server"

    /// Creates a configuration; every parameter has the default described on its property.
    public init(
        serverBinary: String = RedisConfig.debianServerBinary, port: Int = 6379, sentinelPort: Int = 26379,
        masterName: String = "schism", quorum: Int? = nil, downAfterMilliseconds: Int = 1_000,
        failoverTimeoutMilliseconds: Int = 3_000, replicaReads: Bool = false, waitReplicas: Int = 0,
        waitTimeoutMilliseconds: Int = 200, appendOnly: Bool = true, readyTimeoutSeconds: Double = 30,
        commandTimeoutSeconds: Double = 20, sudo: Bool = true, extraConfig: [String] = []
    ) {
        self.serverBinary = serverBinary
        self.port = port
        self.sentinelPort = sentinelPort
        self.masterName = masterName
        self.quorum = quorum
        self.downAfterMilliseconds = downAfterMilliseconds
        self.failoverTimeoutMilliseconds = failoverTimeoutMilliseconds
        self.replicaReads = replicaReads
        self.waitReplicas = waitReplicas
        self.waitTimeoutMilliseconds = waitTimeoutMilliseconds
        self.appendOnly = appendOnly
        self.readyTimeoutSeconds = readyTimeoutSeconds
        self.commandTimeoutSeconds = commandTimeoutSeconds
        self.sudo = sudo
        self.extraConfig = extraConfig
    }

    /// The Sentinel quorum for `nodeCount` nodes: the configured one, else a majority.
    public func quorum(nodeCount: Int) -> Int {
        quorum ?? (nodeCount / 2 + 1)
    }
}
