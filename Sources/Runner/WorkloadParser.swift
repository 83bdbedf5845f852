import Foundation
import Nemesis
import Yams

/// Reads a workload file (YAML) into a `Workload`, rejecting unknown fields and bad values by line.
public enum WorkloadParser {
    /// Reads and validates the file at `path`.
    public static func read(path: String) throws(WorkloadError) -> Workload {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw WorkloadError(file: path, line: nil, field: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(WorkloadError) -> Workload {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw WorkloadError(file: file, line: syntaxLine(error), field: "", message: "not valid YAML: \(error)")
        }
        guard let root, case .mapping(let top) = root else {
            throw WorkloadError(file: file, line: root?.mark?.line, field: "", message: "expected a mapping of workload fields at the top level")
        }
        var w = Workload(name: ((file as NSString).lastPathComponent as NSString).deletingPathExtension)
        let fields = Fields(file: file)
        for (k, v) in top {
            let key = k.string ?? ""
            switch key {
            case "name": w.name = try fields.name(v, key)
            case "db": try fields.section(v, key) { name, value throws(WorkloadError) in
                switch name {
                case "system": w.system = try fields.choice(value, "db.system", ["etcd"])
                case "binary": w.binary = try fields.string(value, "db.binary")
                default: throw fields.unknown(value, "db.\(name)", ["system", "binary"])
                }
            }
            case "client": try fields.section(v, key) { name, value throws(WorkloadError) in
                switch name {
                case "reads": w.reads = try fields.choice(value, "client.reads", ["linearizable", "serializable"])
                case "timeout": w.requestTimeoutSeconds = try fields.seconds(value, "client.timeout", min: 0.01)
                default: throw fields.unknown(value, "client.\(name)", ["reads", "timeout"])
                }
            }
            case "workload": try fields.section(v, key) { name, value throws(WorkloadError) in
                switch name {
                case "model": w.model = try fields.choice(value, "workload.model", ["cas-register", "register"])
                case "ops-per-key": w.opsPerKey = try fields.int(value, "workload.ops-per-key", min: 1)
                case "values": w.values = try fields.int(value, "workload.values", min: 1)
                case "mix": w.mix = try fields.mix(value, "workload.mix")
                default: throw fields.unknown(value, "workload.\(name)", ["model", "ops-per-key", "values", "mix"])
                }
            }
            case "concurrency": w.concurrency = try fields.int(v, key, min: 1, max: 1000)
            case "rate": w.rate = try fields.double(v, key, min: 0)
            case "time-limit": w.timeLimitSeconds = try fields.seconds(v, key, min: 1)
            case "nemesis": try fields.section(v, key) { name, value throws(WorkloadError) in
                switch name {
                case "faults": w.nemeses = try fields.list(value, "nemesis.faults", of: Workload.nemesisKinds + Workload.faultKindNames)
                case "interval": w.nemesisIntervalSeconds = try fields.seconds(value, "nemesis.interval", min: 0.5)
                case "recovery": w.recoverySeconds = try fields.seconds(value, "nemesis.recovery", min: 0)
                default: throw fields.unknown(value, "nemesis.\(name)", ["faults", "interval", "recovery"])
                }
            }
            case "final-reads": w.finalReads = try fields.bool(v, key)
            case "seed": w.seed = UInt64(try fields.int(v, key, min: 0))
            default:
                throw fields.unknown(k, key, ["name", "db", "client", "workload", "concurrency", "rate", "time-limit", "nemesis", "final-reads", "seed"])
            }
        }
        return w
    }

    /// The line of a YAML syntax error, when Yams reports one.
    private static func syntaxLine(_ error: Error) -> Int? {
        if case YamlError.scanner(_, _, let mark, _) = error { return mark.line }
        if case YamlError.parser(_, _, let mark, _) = error { return mark.line }
        return nil
    }
}
