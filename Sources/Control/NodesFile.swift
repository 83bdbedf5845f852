import Foundation
import Yams

/// A cluster described in YAML: defaults plus a list of nodes.
///
/// ```yaml
/// defaults:            # optional; any node field except name and host
///   user: admin
///   identity_file: ~/.ssh/id_ed25519
///   clock: system
/// nodes:
///   - n1.example.com   # a bare host: name = host, defaults for the rest
///   - name: n2
///     host: 10.0.0.12
///     port: 2222
/// ```
/// Unknown fields are errors (a typo must not silently fall back to a default), and every
/// error names the line and the field.
public struct NodesFile: Sendable, Hashable {
    /// The nodes, in file order.
    public var nodes: [NodeConfig]
    /// Where the file was read from (for messages), or a description.
    public var source: String

    /// Creates a nodes file from nodes.
    public init(nodes: [NodeConfig], source: String = "<memory>") {
        self.nodes = nodes
        self.source = source
    }

    /// Reads and validates a nodes file.
    public static func load(path: String) throws(NodesFileError) -> NodesFile {
        let expanded = PathExpansion.expandTilde(path)
        guard FileManager.default.fileExists(atPath: expanded) else {
            throw NodesFileError(
                file: path, line: nil, field: "",
                message: "no such nodes file (create one as docs/cluster.md describes, or run `schism cluster up`)",
                fileMissing: true)
        }
        guard let data = FileManager.default.contents(atPath: expanded),
            let text = String(data: data, encoding: .utf8)
        else {
            throw NodesFileError(file: path, line: nil, field: "", message: "cannot read it as UTF-8 text")
        }
        return try parse(text, source: path)
    }

    /// Parses and validates nodes-file YAML.
    public static func parse(_ text: String, source: String = "<memory>") throws(NodesFileError) -> NodesFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw NodesFileError(file: source, line: yamlErrorLine(error), field: "", message: "not valid YAML: \(error)")
        }
        var parser = NodesFileParser(source: source)
        return NodesFile(nodes: try parser.parseRoot(root), source: source)
    }

    /// The YAML text for these nodes (round-trips through ``parse(_:source:)``).
    public func yaml(header: String? = nil) -> String {
        var out = ""
        if let header {
            out += header.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n")
            out += "\n"
        }
        out += "nodes:\n"
        for node in nodes {
            out += "  - name: \(yamlScalar(node.name))\n"
            out += "    host: \(yamlScalar(node.host))\n"
            if let port = node.port { out += "    port: \(port)\n" }
            if let user = node.user { out += "    user: \(yamlScalar(user))\n" }
            if let file = node.identityFile { out += "    identity_file: \(yamlScalar(file))\n" }
            if let file = node.knownHostsFile { out += "    known_hosts: \(yamlScalar(file))\n" }
            out += "    ssh_config: \(node.useSSHConfig)\n"
            out += "    sudo: \(node.sudo)\n"
            if let env = node.sudoPasswordEnv { out += "    sudo_password_env: \(yamlScalar(env))\n" }
            out += "    data_dir: \(yamlScalar(node.dataDir))\n"
            out += "    clock: \(node.clock.rawValue)\n"
            out += "    connect_timeout_seconds: \(node.connectTimeoutSeconds)\n"
        }
        return out
    }

    /// The nodes whose names are listed, in the given order; names not found are an error.
    public func selecting(_ names: [String]) throws(NodesFileError) -> NodesFile {
        var picked: [NodeConfig] = []
        for name in names {
            guard let node = nodes.first(where: { $0.name == name }) else {
                throw NodesFileError(
                    file: source, line: nil, field: "nodes",
                    message: "no node named '\(name)' (nodes: \(nodes.map(\.name).joined(separator: ", ")))")
            }
            picked.append(node)
        }
        return NodesFile(nodes: picked, source: source)
    }

    private func yamlScalar(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || "._/-@~+".contains($0) }
        if plain && !s.isEmpty && !["true", "false", "null", "yes", "no", "~"].contains(s.lowercased()) {
            return s
        }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func yamlErrorLine(_ error: Error) -> Int? {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
                return mark.line
            default:
                return nil
            }
        }
        return nil
    }
}

/// `~` expansion for paths in nodes files and options.
public enum PathExpansion {
    /// Replaces a leading `~/` with the home folder.
    public static func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
