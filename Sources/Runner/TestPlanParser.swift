import Basics
import Config
import Faults
import Foundation
import Systems
import Workloads

/// Reads a workload file (YAML) into a ``TestPlan``, rejecting unknown fields and bad values by line.
///
/// The runner reads its own fields (name, client, concurrency, rate, time-limit, nemesis,
/// final-reads, seed); `db:` goes to the system named by `db.system`, `workload:` to the kind
/// named by `workload.kind`, each through the registry. A system whose client does not support
/// the workload kind is refused here, before anything is deployed.
public struct TestPlanParser: Sendable {
    public let registry: PluginRegistry

    public init(registry: PluginRegistry) {
        self.registry = registry
    }

    /// The fields of the top level.
    public static let topFields = ["name", "db", "client", "workload", "concurrency", "rate", "time-limit", "nemesis", "final-reads", "seed"]

    /// Reads the file at `path`; `overrides` (`(path, value, flag)`) are applied before validation.
    public func read(path: String, overrides: [Override] = []) throws(ConfigError) -> TestPlan {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(file: path, line: nil, field: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path, overrides: overrides)
    }

    /// Parses YAML text; `file` names it in errors (and names the results folder by default).
    public func parse(_ text: String, file: String, overrides: [Override] = []) throws(ConfigError) -> TestPlan {
        let root = try ConfigNode.parse(text, file: file)
        guard case .mapping = root else {
            throw ConfigError(file: file, line: root.line, field: "", message: "expected a mapping of workload fields at the top level")
        }
        var top = ConfigSection(file: file, path: "", node: root)
        for o in overrides { top = top.overriding(o.path, with: o.value, origin: o.flag) }
        return try parse(top)
    }

    /// A value given by a flag instead of the file.
    public struct Override: Sendable {
        /// Dotted path, e.g. `db.reads`.
        public var path: String
        public var value: String
        /// The flag, e.g. `--reads`, for messages.
        public var flag: String

        public init(_ path: String, _ value: String, flag: String) {
            self.path = path
            self.value = value
            self.flag = flag
        }
    }

    /// Reads a parsed workload file.
    public func parse(_ top: ConfigSection) throws(ConfigError) -> TestPlan {
        try top.forEach { f throws(ConfigError) in
            if !Self.topFields.contains(f.name) { throw f.unknown(expected: Self.topFields) }
        }
        let db = try top.section("db")
        let systemField = db.field("system")
        let systemName = try systemField?.string() ?? registry.systems.first?.name ?? ""
        guard let systemPlugin = registry.system(systemName) else {
            throw (systemField ?? ConfigField(file: top.file, path: "db.system", node: .scalar(systemName, line: nil)))
                .fail("\"\(systemName)\" is not a system Schism knows; known: \(registry.systems.map(\.name).joined(separator: ", "))")
        }
        let workloadSection = try top.section("workload")
        let kindField = workloadSection.field("kind")
        let kindName = try kindField?.string() ?? registry.workloads.first?.name ?? ""
        guard let kind = registry.workload(kindName) else {
            throw (kindField ?? ConfigField(file: top.file, path: "workload.kind", node: .scalar(kindName, line: nil)))
                .fail("\"\(kindName)\" is not a workload kind Schism knows; known: \(registry.workloads.map(\.name).joined(separator: ", "))")
        }
        guard systemPlugin.workloadKinds.contains(kind.name) else {
            throw (kindField ?? systemField ?? ConfigField(file: top.file, path: "workload.kind", node: .scalar(kindName, line: nil)))
                .fail("\(systemPlugin.name)'s client does not support the \(kind.name) workload; it supports: \(systemPlugin.workloadKinds.sorted().joined(separator: ", "))")
        }
        let workload = try kind.configure(workloadSection)
        let system = try systemPlugin.configure(db)
        var plan = TestPlan(
            name: ((top.file as NSString).lastPathComponent as NSString).deletingPathExtension,
            systemName: systemPlugin.name, system: system, workload: workload)
        plan.faults = registry.faults.families.map(\.name)
        try top.forEach(skipping: ["db", "workload"]) { field throws(ConfigError) in
            switch field.name {
            case "name": plan.name = try field.identifier()
            case "client": try field.section().forEach { f throws(ConfigError) in
                switch f.name {
                case "timeout": plan.requestTimeoutSeconds = try f.seconds(min: 0.01)
                case "reads": throw f.fail("client.reads moved to db.reads (a setting of the system's client)")
                default: throw f.unknown(expected: ["timeout"])
                }
            }
            case "concurrency": plan.concurrency = try field.int(min: 1, max: 1000)
            case "rate": plan.rate = try field.double(min: 0)
            case "time-limit": plan.timeLimitSeconds = try field.seconds(min: 1)
            case "nemesis": try field.section().forEach { f throws(ConfigError) in
                switch f.name {
                case "faults":
                    plan.faults = try f.strings()
                    plan.faultKinds = try resolveFaults(plan.faults, f)
                case "interval": plan.nemesisIntervalSeconds = try f.seconds(min: 0.5)
                case "recovery": plan.recoverySeconds = try f.seconds(min: 0)
                default: throw f.unknown(expected: ["faults", "interval", "recovery"])
                }
            }
            case "final-reads": plan.finalReads = try field.bool()
            case "seed": plan.seed = UInt64(try field.int(min: 0))
            default: throw field.unknown(expected: Self.topFields)
            }
        }
        if top.field("nemesis").flatMap({ try? $0.section().field("faults") }) == nil {
            plan.faultKinds = try resolveFaults(plan.faults, nil)
        }
        return plan
    }

    /// The kinds that fault names select, through the fault registry; an unknown name is an
    /// error at the field (or flag) that gave it.
    private func resolveFaults(_ names: [String], _ field: ConfigField?) throws(ConfigError) -> [String] {
        do throws(NemesisError) {
            return try registry.faults.resolve(names)
        } catch {
            throw field?.fail(error.message) ?? ConfigError(file: "", line: nil, field: "nemesis.faults", message: error.message)
        }
    }
}
