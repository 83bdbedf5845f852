import Basics
import Config
import Foundation
import Systems

/// The `etcd` system: reads `db.binary` and `db.reads` and makes etcd's lifecycle and clients.
///
/// ```yaml
/// db:
///   system: etcd
///   binary: /usr/bin/etcd      # the etcd on the controller, uploaded to every node (default)
///   reads: linearizable        # or serializable (may be stale; the run says so)
/// ```
public struct EtcdPlugin: SystemPlugin {
    /// The fields of `db:` this plug-in reads (besides `system`).
    public static let fields = ["binary", "reads"]

    public init() {}

    /// `etcd`.
    public var name: String { "etcd" }

    public var summary: String { "etcd 3.x (Debian's etcd-server), a register over its v3 JSON gateway" }

    /// Its client reads, writes and compares-and-sets single keys, and runs transactions
    /// (``EtcdClient/transact(_:)``).
    public var workloadKinds: Set<String> { ["register", "list-append", "rw-register"] }

    /// Reads `binary` and `reads`; refuses unknown fields and a missing or non-executable binary.
    public func configure(_ db: ConfigSection) throws(ConfigError) -> ConfiguredSystem {
        var config = EtcdConfig()
        var binaryField: ConfigField?
        try db.forEach(skipping: ["system"]) { field throws(ConfigError) in
            switch field.name {
            case "binary":
                config.binaryPath = try field.string()
                binaryField = field
            case "reads":
                config.serializableReads = try field.choice(["linearizable", "serializable"]) == "serializable"
            default:
                throw field.unknown(expected: Self.fields)
            }
        }
        guard FileManager.default.isExecutableFile(atPath: config.binaryPath) else {
            let message =
                "no executable etcd at \(config.binaryPath); "
                + "install Debian's etcd-server (apt-get install etcd-server) or set db.binary"
            throw binaryField?.fail(message)
                ?? ConfigError(file: db.file, line: db.node.line, field: db.path.isEmpty ? "binary" : db.path + ".binary", message: message)
        }
        return ConfiguredSystem(
            system: EtcdSystem(config: config),
            settings: [
                "binary": .string(config.binaryPath),
                "reads": .string(config.serializableReads ? "serializable" : "linearizable"),
            ],
            makeClients: { [config] in EtcdClientFactory(config: config) })
    }
}
