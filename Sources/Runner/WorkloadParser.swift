import Basics
import Foundation
import Faults
import Config

/// Reads a workload file (YAML) into a `Workload`, rejecting unknown fields and bad values by line.
public enum WorkloadParser {
    /// Reads and validates the file at `path`.
    public static func read(path: String) throws(ConfigError) -> Workload {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(file: path, line: nil, field: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Workload {
        let root = try ConfigNode.parse(text, file: file)
        guard case .mapping = root else {
            throw ConfigError(file: file, line: root.line, field: "", message: "expected a mapping of workload fields at the top level")
        }
        return try parse(ConfigSection(file: file, path: "", node: root))
    }

    /// Reads a parsed workload file (with any flag overrides already applied).
    public static func parse(_ top: ConfigSection) throws(ConfigError) -> Workload {
        var w = Workload(name: ((top.file as NSString).lastPathComponent as NSString).deletingPathExtension)
        try top.forEach { field throws(ConfigError) in
            switch field.path {
            case "name": w.name = try field.identifier()
            case "db": try field.section().forEach { f throws(ConfigError) in
                switch f.name {
                case "system": w.system = try f.choice(["etcd"])
                case "binary": w.binary = try f.string()
                default: throw f.unknown(expected: ["system", "binary"])
                }
            }
            case "client": try field.section().forEach { f throws(ConfigError) in
                switch f.name {
                case "reads": w.reads = try f.choice(["linearizable", "serializable"])
                case "timeout": w.requestTimeoutSeconds = try f.seconds(min: 0.01)
                default: throw f.unknown(expected: ["reads", "timeout"])
                }
            }
            case "workload": try field.section().forEach { f throws(ConfigError) in
                switch f.name {
                case "model": w.model = try f.choice(["cas-register", "register"])
                case "ops-per-key": w.opsPerKey = try f.int(min: 1)
                case "values": w.values = try f.int(min: 1)
                case "mix": w.mix = try f.weights(of: ["read", "write", "cas"])
                default: throw f.unknown(expected: ["model", "ops-per-key", "values", "mix"])
                }
            }
            case "concurrency": w.concurrency = try field.int(min: 1, max: 1000)
            case "rate": w.rate = try field.double(min: 0)
            case "time-limit": w.timeLimitSeconds = try field.seconds(min: 1)
            case "nemesis": try field.section().forEach { f throws(ConfigError) in
                switch f.name {
                case "faults": w.nemeses = try f.list(of: Workload.nemesisKinds + Workload.faultKindNames)
                case "interval": w.nemesisIntervalSeconds = try f.seconds(min: 0.5)
                case "recovery": w.recoverySeconds = try f.seconds(min: 0)
                default: throw f.unknown(expected: ["faults", "interval", "recovery"])
                }
            }
            case "final-reads": w.finalReads = try field.bool()
            case "seed": w.seed = UInt64(try field.int(min: 0))
            default:
                throw field.unknown(expected: ["name", "db", "client", "workload", "concurrency", "rate", "time-limit", "nemesis", "final-reads", "seed"])
            }
        }
        return w
    }
}
