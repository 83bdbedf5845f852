import Basics
import Config
import Foundation
import Systems

/// The `redis` system: reads its `db:` fields and makes Redis's lifecycle and clients.
///
/// ```yaml
/// db:
///   system: redis
///   replica-reads: false     # true: read from the worker's own node, even a replica (stale reads expected)
///   wait: 0                  # N > 0: WAIT N after every write; fewer acknowledgements make the write info
///   wait-timeout: 200ms      # how long WAIT blocks
///   down-after: 1s           # Sentinel's down-after-milliseconds
///   failover-timeout: 3s     # Sentinel's failover-timeout
///   quorum: 2                # Sentinels that must agree (default: a majority of the nodes)
///   append-only: true        # appendonly yes, fsync every second
///   binary: /usr/bin/redis-server
/// ```
public struct RedisPlugin: SystemPlugin {
    /// The fields of `db:` this plug-in reads (besides `system`).
    public static let fields = [
        "replica-reads", "wait", "wait-timeout", "down-after", "failover-timeout", "quorum", "append-only", "binary",
    ]

    public init() {}

    /// `redis`.
    public var name: String { "redis" }

    public var summary: String {
        "Redis 7 (Debian's redis-server and redis-sentinel): a primary, replicas and Sentinel failover; a register over RESP"
    }

    /// Its client reads, writes and compares-and-sets single keys.
    public var workloadKinds: Set<String> { ["register"] }

    /// Reads the fields; refuses unknown ones and a missing binary.
    public func configure(_ db: ConfigSection) throws(ConfigError) -> ConfiguredSystem {
        var config = RedisConfig()
        var binaryField: ConfigField?
        try db.forEach(skipping: ["system"]) { field throws(ConfigError) in
            switch field.name {
            case "replica-reads": config.replicaReads = try field.bool()
            case "wait": config.waitReplicas = try field.int(min: 0, max: 64)
            case "wait-timeout": config.waitTimeoutMilliseconds = Int(try field.seconds(min: 0.001) * 1000)
            case "down-after": config.downAfterMilliseconds = Int(try field.seconds(min: 0.1) * 1000)
            case "failover-timeout": config.failoverTimeoutMilliseconds = Int(try field.seconds(min: 0.1) * 1000)
            case "quorum": config.quorum = try field.int(min: 1, max: 64)
            case "append-only": config.appendOnly = try field.bool()
            case "binary":
                config.serverBinary = try field.string()
                binaryField = field
            default:
                throw field.unknown(expected: Self.fields)
            }
        }
        guard FileManager.default.isExecutableFile(atPath: config.serverBinary) else {
            let message =
                "no executable Redis at \(config.serverBinary); "
                + "install Debian's redis-server and redis-sentinel (apt-get install redis-server redis-sentinel) or set db.binary"
            throw binaryField?.fail(message)
                ?? ConfigError(
                    file: db.file, line: db.node.line, field: db.path.isEmpty ? "binary" : db.path + ".binary", message: message)
        }
        var settings: [String: JSONValue] = [
            "binary": .string(config.serverBinary),
            "replica-reads": .bool(config.replicaReads),
            "wait": .int(Int64(config.waitReplicas)),
            "down-after-ms": .int(Int64(config.downAfterMilliseconds)),
            "failover-timeout-ms": .int(Int64(config.failoverTimeoutMilliseconds)),
            "append-only": .bool(config.appendOnly),
        ]
        if config.waitReplicas > 0 { settings["wait-timeout-ms"] = .int(Int64(config.waitTimeoutMilliseconds)) }
        if let q = config.quorum { settings["quorum"] = .int(Int64(q)) }
        return ConfiguredSystem(
            system: RedisSystem(config: config), settings: settings,
            makeClients: { [config] in RedisClientFactory(config: config) })
    }
}
