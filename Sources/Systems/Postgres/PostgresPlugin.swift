import Basics
import Config
import Foundation
import Systems

/// The `postgres` system: reads `db.isolation`, `db.bin-dir` and `db.port` and makes
/// PostgreSQL's lifecycle and its transactional clients.
///
/// ```yaml
/// db:
///   system: postgres
///   isolation: serializable          # read-committed, repeatable-read or serializable (--isolation)
///   bin-dir: /usr/lib/postgresql/15/bin
///   port: 5432
/// ```
public struct PostgresPlugin: SystemPlugin {
    /// The fields of `db:` this plug-in reads (besides `system`).
    public static let fields = ["isolation", "bin-dir", "port"]

    public init() {}

    /// `postgres`.
    public var name: String { "postgres" }

    public var summary: String { "PostgreSQL (Debian's postgresql): one primary, transactions at a chosen isolation level" }

    /// Its client runs transactions of list appends or register writes.
    public var workloadKinds: Set<String> { ["list-append", "rw-register"] }

    /// Reads the fields; refuses unknown ones and a missing server program.
    public func configure(_ db: ConfigSection) throws(ConfigError) -> ConfiguredSystem {
        var config = PostgresConfig()
        var binField: ConfigField?
        try db.forEach(skipping: ["system"]) { field throws(ConfigError) in
            switch field.name {
            case "isolation": config.isolation = try field.choice(PostgresConfig.isolationLevels)
            case "bin-dir":
                config.binDir = try field.string()
                binField = field
            case "port": config.port = try field.int(min: 1, max: 65535)
            default: throw field.unknown(expected: Self.fields)
            }
        }
        guard FileManager.default.isExecutableFile(atPath: config.serverBinary) else {
            let message = "no executable postgres at \(config.serverBinary); install Debian's postgresql (apt-get install postgresql) or set db.bin-dir"
            throw binField?.fail(message)
                ?? ConfigError(file: db.file, line: db.node.line, field: db.path.isEmpty ? "bin-dir" : db.path + ".bin-dir", message: message)
        }
        return ConfiguredSystem(
            system: PostgresSystem(config: config),
            settings: ["isolation": .string(config.isolation), "binDir": .string(config.binDir), "port": .int(Int64(config.port))],
            makeClients: { [config] in PostgresClientFactory(config: config) })
    }
}
