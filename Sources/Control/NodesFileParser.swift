import Yams

/// Turns a composed YAML tree into nodes, checking every field and naming its line.
struct NodesFileParser {
    let source: String

    private static let nodeFields: Set<String> = [
        "name", "host", "port", "user", "identity_file", "known_hosts", "ssh_config", "sudo",
        "sudo_password_env", "data_dir", "clock", "connect_timeout_seconds",
    ]

    private func fail(_ node: Node?, _ field: String, _ message: String) -> NodesFileError {
        NodesFileError(file: source, line: node?.mark?.line, field: field, message: message)
    }

    mutating func parseRoot(_ root: Node?) throws(NodesFileError) -> [NodeConfig] {
        guard let root, case .mapping(let mapping) = root else {
            throw fail(root, "", "expected a mapping with a `nodes:` list at the top level")
        }
        var defaults = NodeConfig(name: "", host: "")
        var nodesNode: Node?
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "nodes": nodesNode = value
            case "cluster": _ = try string(value, "cluster")
            case "defaults":
                guard case .mapping(let defaultsMap) = value else {
                    throw fail(value, "defaults", "expected a mapping of node fields")
                }
                for (fieldKey, fieldValue) in defaultsMap {
                    let name = fieldKey.string ?? ""
                    if name == "name" || name == "host" {
                        throw fail(fieldKey, "defaults.\(name)", "a default \(name) makes no sense; set it per node")
                    }
                    try apply(name, fieldValue, to: &defaults, path: "defaults.\(name)", keyNode: fieldKey)
                }
            default:
                throw fail(keyNode, key, "unknown field (expected `nodes`, `defaults` or `cluster`)")
            }
        }
        guard let nodesNode, case .sequence(let list) = nodesNode else {
            throw fail(nodesNode ?? root, "nodes", "expected a list of nodes under `nodes:`")
        }
        guard !list.isEmpty else { throw fail(nodesNode, "nodes", "the list is empty; name at least one node") }
        var nodes: [NodeConfig] = []
        var names: [String: Int] = [:]
        for (index, item) in list.enumerated() {
            let path = "nodes[\(index)]"
            var node = defaults
            switch item {
            case .scalar:
                let host = try string(item, path)
                node.name = host
                node.host = host
            case .mapping(let fields):
                for (fieldKey, fieldValue) in fields {
                    let name = fieldKey.string ?? ""
                    try apply(name, fieldValue, to: &node, path: "\(path).\(name)", keyNode: fieldKey)
                }
                if node.host.isEmpty { throw fail(item, "\(path).host", "missing; every node needs a host") }
                if node.name.isEmpty { node.name = node.host }
            default:
                throw fail(item, path, "expected a host name or a mapping of node fields")
            }
            if let line = names[node.name] {
                throw fail(item, "\(path).name", "'\(node.name)' is already used by the node on line \(line)")
            }
            names[node.name] = item.mark?.line ?? 0
            nodes.append(node)
        }
        return nodes
    }

    private func apply(
        _ name: String, _ value: Node, to node: inout NodeConfig, path: String, keyNode: Node
    ) throws(NodesFileError) {
        switch name {
        case "name":
            let text = try string(value, path)
            guard text.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !text.isEmpty else {
                throw fail(value, path, "'\(text)': use letters, digits, '-', '_' and '.' only")
            }
            node.name = text
        case "host": node.host = try string(value, path)
        case "port":
            guard let port = value.int, (1...65535).contains(port) else {
                throw fail(value, path, "expected a port number 1-65535, got '\(value.string ?? "?")'")
            }
            node.port = port
        case "user": node.user = try string(value, path)
        case "identity_file": node.identityFile = try string(value, path)
        case "known_hosts": node.knownHostsFile = try string(value, path)
        case "ssh_config": node.useSSHConfig = try bool(value, path)
        case "sudo": node.sudo = try bool(value, path)
        case "sudo_password_env":
            let env = try string(value, path)
            guard env.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw fail(value, path, "expected the NAME of an environment variable (never the password itself)")
            }
            node.sudoPasswordEnv = env
        case "data_dir":
            let dir = try string(value, path)
            guard dir.hasPrefix("/") else { throw fail(value, path, "expected an absolute path, got '\(dir)'") }
            node.dataDir = dir
        case "clock":
            let text = try string(value, path)
            guard let clock = ClockStrategy(rawValue: text) else {
                throw fail(value, path, "expected `system` or `faketime`, got '\(text)'")
            }
            node.clock = clock
        case "connect_timeout_seconds":
            guard let seconds = value.float, seconds > 0, seconds <= 600 else {
                throw fail(value, path, "expected seconds between 0 and 600, got '\(value.string ?? "?")'")
            }
            node.connectTimeoutSeconds = seconds
        default:
            let known = Self.nodeFields.sorted().joined(separator: ", ")
            throw fail(keyNode, path, "unknown field (known fields: \(known))")
        }
    }

    private func string(_ value: Node, _ path: String) throws(NodesFileError) -> String {
        guard case .scalar = value, let text = value.string, !text.isEmpty else {
            throw fail(value, path, "expected a non-empty text value")
        }
        return text
    }

    private func bool(_ value: Node, _ path: String) throws(NodesFileError) -> Bool {
        guard let flag = value.bool else {
            throw fail(value, path, "expected true or false, got '\(value.string ?? "?")'")
        }
        return flag
    }
}
