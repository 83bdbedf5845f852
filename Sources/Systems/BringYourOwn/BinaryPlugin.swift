import Basics
import Config
import Control
import Foundation
import Systems

/// The `binary` system: any server program, described in the workload file (bring your own).
///
/// ```yaml
/// db:
///   system: binary
///   name: example-kv                      # for messages and paths on the nodes (default: server)
///   install:
///     file: Workloads/examples/example_kv.py   # or tarball: x.tar.gz, or folder: dir/ (from the controller)
///     packages: [python3]                 # Debian packages installed on each node when missing
///   start: python3 {binary} --node {node} --listen {address}:{port} --cluster {addresses} --data {data}
///   port: 7000
///   ready: {tcp: 7000, timeout: 10s}      # or {http: "http://{address}:{port}/health"} or {command: "..."}
///   logs: ["{data}/server.log"]           # more files to collect, besides stdout/stderr ({log})
///   reads-time-through-libc: true
///   stop: "kill -TERM $(cat {data}/pid)"  # optional graceful stop before SIGKILL at teardown
///   wipe: true                            # remove {data} at teardown (default)
///   client:
///     protocol: stdio                     # or http-kv
///     command: python3 Workloads/examples/kv_client.py --url http://{address}:{port} --timeout {timeout}
/// ```
/// Every template is checked here: an unknown placeholder, a missing upload or a missing client
/// program is refused with the file, line and field. See docs/databases.md and docs/client-protocol.md.
public struct BinaryPlugin: SystemPlugin {
    /// The fields of `db:` this plug-in reads (besides `system`).
    public static let fields = ["name", "install", "start", "port", "ready", "logs", "reads-time-through-libc", "stop", "wipe", "client"]

    public init() {}

    /// `binary`.
    public var name: String { "binary" }

    public var summary: String { "bring your own server: any program, installed, started and checked as the workload file says" }

    /// The stdio and http-kv clients run register operations (stdio passes any operation through).
    public var workloadKinds: Set<String> { ["register"] }

    /// Reads the `db:` section; refuses unknown fields, bad templates, a missing upload or client.
    public func configure(_ db: ConfigSection) throws(ConfigError) -> ConfiguredSystem {
        var name = "server"
        var artifact: BinaryConfig.Artifact?
        var packages: [String] = []
        var start: CommandTemplate?
        var port: Int?
        var readyField: ConfigField?
        var logs: [CommandTemplate] = []
        var libc: Bool?
        var stop: CommandTemplate?
        var wipe = true
        var clientField: ConfigField?
        try db.forEach(skipping: ["system"]) { field throws(ConfigError) in
            switch field.name {
            case "name": name = try field.identifier()
            case "install": (artifact, packages) = try Self.install(field)
            case "start": start = try CommandTemplate(field: field, allowed: BinaryConfig.serverPlaceholders)
            case "port": port = try field.int(min: 1, max: 65535)
            case "ready": readyField = field
            case "logs":
                if case .sequence(let items, _) = field.node {
                    for item in items {
                        logs.append(try CommandTemplate(field: ConfigField(file: field.file, path: field.path, node: item), allowed: BinaryConfig.serverPlaceholders))
                    }
                } else {
                    logs = [try CommandTemplate(field: field, allowed: BinaryConfig.serverPlaceholders)]
                }
            case "reads-time-through-libc": libc = try field.bool()
            case "stop": stop = try CommandTemplate(field: field, allowed: BinaryConfig.serverPlaceholders)
            case "wipe": wipe = try field.bool()
            case "client": clientField = field
            default: throw field.unknown(expected: Self.fields)
            }
        }
        guard let start else { throw missing(db, "start", "the command that starts the server on a node, e.g. \"{binary} --port {port}\"") }
        for (template, field) in [(start, db.field("start"))] + (stop.map { [($0, db.field("stop"))] } ?? []) {
            if template.placeholders.contains("port") && port == nil {
                throw (field ?? db.field("system"))?.fail("uses {port}, but db.port is not set") ?? missing(db, "port", "the server's port")
            }
            if template.placeholders.contains("install") || template.placeholders.contains("binary"), artifact == nil {
                throw (field ?? db.field("system"))?.fail("uses {install} or {binary}, but db.install names no file, tarball or folder")
                    ?? missing(db, "install", "what to upload")
            }
        }
        let (ready, readyTimeout) = try readyField.map { f throws(ConfigError) in try Self.ready(f, port: port) } ?? (port.map { .tcp(port: $0) } ?? .running, 30)
        guard let clientField else {
            throw missing(db, "client", "how workers talk to the server: {protocol: stdio, command: ...} or {protocol: http-kv}")
        }
        let client = try Self.client(clientField, port: port)
        let config = BinaryConfig(
            name: name, install: .init(artifact: artifact, packages: packages), start: start, port: port, ready: ready,
            readyTimeoutSeconds: readyTimeout, logs: logs, readsTimeThroughLibc: libc, stop: stop, wipe: wipe, client: client)
        var settings: [String: JSONValue] = ["name": .string(name), "start": .string(start.source)]
        if let artifact { settings["install"] = .string("\(artifact.kind.rawValue): \(artifact.path)") }
        if !packages.isEmpty { settings["packages"] = .array(packages.map { .string($0) }) }
        if let port { settings["port"] = .int(Int64(port)) }
        switch client {
        case .stdio(let command, _, _): settings["client"] = .string("stdio: \(command.source)")
        case .httpKV(let p): settings["client"] = .string("http-kv on port \(p)")
        }
        return ConfiguredSystem(system: BinarySystem(config: config), settings: settings) { [config] in
            switch config.client {
            case .stdio(let command, let grace, let startup):
                return StdioClientFactory(command: command, graceSeconds: grace, startupSeconds: startup, port: config.port)
            case .httpKV(let p): return HTTPKVClientFactory(port: p)
            }
        }
    }

    private func missing(_ db: ConfigSection, _ name: String, _ what: String) -> ConfigError {
        ConfigError(file: db.file, line: db.node.line, field: db.path.isEmpty ? name : "\(db.path).\(name)", message: "missing: \(what)")
    }

    /// `install: {file|tarball|folder: path, packages: [...]}`; the path must exist on the controller.
    static func install(_ field: ConfigField) throws(ConfigError) -> (BinaryConfig.Artifact?, [String]) {
        var artifact: BinaryConfig.Artifact?
        var packages: [String] = []
        let known = ["file", "tarball", "folder", "packages"]
        try field.section().forEach { f throws(ConfigError) in
            switch f.name {
            case "packages":
                packages = try f.strings()
                for p in packages where !p.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.:".contains($0)) }) {
                    throw f.fail("\"\(p)\" is not a Debian package name")
                }
            case "file", "tarball", "folder":
                guard artifact == nil else { throw f.fail("give one of file, tarball or folder, not several") }
                let path = try f.string()
                var isDir: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
                let kind = BinaryConfig.Artifact.Kind(rawValue: f.name) ?? .file
                guard exists, isDir.boolValue == (kind == .folder), FileManager.default.isReadableFile(atPath: path) else {
                    let cwd = FileManager.default.currentDirectoryPath
                    throw f.fail("no readable \(kind == .folder ? "folder" : "file") at \(path) on the controller (relative paths start at \(cwd))")
                }
                artifact = BinaryConfig.Artifact(kind: kind, path: path)
            default: throw f.unknown(expected: known)
            }
        }
        return (artifact, packages)
    }

    /// `ready: {tcp: PORT | http: URL | command: CMD, timeout: 30s}`.
    static func ready(_ field: ConfigField, port: Int?) throws(ConfigError) -> (BinaryConfig.ReadyCheck, Double) {
        var check: BinaryConfig.ReadyCheck?
        var timeout = 30.0
        let known = ["tcp", "http", "command", "timeout"]
        try field.section().forEach { f throws(ConfigError) in
            if f.name != "timeout" && check != nil { throw f.fail("give one of tcp, http or command, not several") }
            switch f.name {
            case "tcp": check = .tcp(port: try f.int(min: 1, max: 65535))
            case "http": check = .http(try CommandTemplate(field: f, allowed: BinaryConfig.urlPlaceholders))
            case "command": check = .command(try CommandTemplate(field: f, allowed: BinaryConfig.serverPlaceholders))
            case "timeout": timeout = try f.seconds(min: 0.1)
            default: throw f.unknown(expected: known)
            }
        }
        return (check ?? port.map { .tcp(port: $0) } ?? .running, timeout)
    }

    /// `client: {protocol: stdio, command: ..., grace: 1s, startup: 5s}` or `{protocol: http-kv, port: N}`.
    static func client(_ field: ConfigField, port: Int?) throws(ConfigError) -> BinaryConfig.ClientChoice {
        let section = try field.section()
        let protocolField = section.field("protocol")
        guard let protocolField else { throw field.fail("missing protocol: stdio or http-kv") }
        switch try protocolField.choice(["stdio", "http-kv"]) {
        case "stdio":
            var command: CommandTemplate?
            var grace = 1.0
            var startup = 5.0
            try section.forEach(skipping: ["protocol"]) { f throws(ConfigError) in
                switch f.name {
                case "command":
                    let t = try CommandTemplate(field: f, allowed: BinaryConfig.clientPlaceholders)
                    if t.placeholders.contains("port") && port == nil { throw f.fail("uses {port}, but db.port is not set") }
                    try checkProgram(t, f)
                    command = t
                case "grace": grace = try f.seconds(min: 0)
                case "startup": startup = try f.seconds(min: 0)
                default: throw f.unknown(expected: ["protocol", "command", "grace", "startup"])
                }
            }
            guard let command else { throw field.fail("missing command: the client program, one process per worker") }
            return .stdio(command: command, graceSeconds: grace, startupSeconds: startup)
        default:
            var p = port
            try section.forEach(skipping: ["protocol"]) { f throws(ConfigError) in
                switch f.name {
                case "port": p = try f.int(min: 1, max: 65535)
                default: throw f.unknown(expected: ["protocol", "port"])
                }
            }
            guard let p else { throw field.fail("http-kv needs a port: set db.port or db.client.port") }
            return .httpKV(port: p)
        }
    }

    /// Refuses a client command whose program (the first word) is not found on the controller.
    static func checkProgram(_ t: CommandTemplate, _ field: ConfigField) throws(ConfigError) {
        let argv = t.argv([:])
        let first: String
        if t.isShell {
            first = argv[2].dropFirst("exec ".count).split(separator: " ").first.map(String.init) ?? ""
        } else {
            first = argv.first ?? ""
        }
        guard !first.isEmpty, !first.contains("{"), !first.contains("'"), !first.contains("=") else { return }
        if LocalProcess.which(first) == nil {
            throw field.fail("no program \(first) on the controller (not in PATH, or not executable)")
        }
    }
}
