import Basics
import Config
import Foundation

/// etcd in the systems registry: `db.system: etcd`, with fields `binary` and `reads`.
public struct EtcdPlugin: SystemPlugin {
    public init() {}

    public var name: String { "etcd" }

    public var summary: String { "etcd 3 (Debian's etcd-server), one member per node, clients over the v3 JSON gateway" }

    public var workloadKinds: Set<String> { ["register"] }

    public func configure(_ db: ConfigSection) throws(ConfigError) -> ConfiguredSystem {
        var binary = EtcdConfig.debianBinaryPath
        var serializable = false
        var binaryField: ConfigField?
        try db.forEach(skipping: ["system"]) { f throws(ConfigError) in
            switch f.name {
            case "binary":
                binary = try f.string()
                binaryField = f
            case "reads": serializable = try f.choice(["linearizable", "serializable"]) == "serializable"
            default: throw f.unknown(expected: ["system", "binary", "reads"])
            }
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            let message = "no etcd binary at \(binary); install Debian's etcd-server (apt-get install etcd-server) or set db.binary"
            throw binaryField?.fail(message) ?? ConfigError(file: db.file, line: db.node.line, field: "db.binary", message: message)
        }
        let config = EtcdConfig(binaryPath: binary)
        let reads = serializable
        return ConfiguredSystem(
            system: EtcdDatabase(config: config, serializableReads: serializable),
            settings: ["binary": .string(binary), "reads": .string(serializable ? "serializable" : "linearizable")],
            makeClients: { EtcdClientFactory(config: config, serializableReads: reads) })
    }
}
