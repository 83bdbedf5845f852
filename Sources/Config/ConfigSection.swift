/// A mapping of a workload file (the whole file, or a part such as `db:` or `workload:`).
///
/// The runner reads the fields it owns and hands each plug-in its own section, so a system,
/// a workload kind or a fault family validates its own fields with the same messages.
public struct ConfigSection: Sendable {
    /// The file the section came from.
    public let file: String
    /// Its path from the top, e.g. `db` (empty for the whole file).
    public let path: String
    public let node: ConfigNode

    public init(file: String, path: String, node: ConfigNode) {
        self.file = file
        self.path = path
        self.node = node
    }

    /// An empty section (a file that leaves the section out).
    public static func empty(file: String, path: String) -> ConfigSection {
        ConfigSection(file: file, path: path, node: .mapping([], line: nil))
    }

    /// The entries, in file order.
    public var entries: [ConfigEntry] {
        if case .mapping(let m, _) = node { return m }
        return []
    }

    /// The field named `name`, if present (the last one, as YAML readers do).
    public func field(_ name: String) -> ConfigField? {
        guard let entry = entries.last(where: { $0.key == name }) else { return nil }
        return ConfigField(file: file, path: childPath(name), node: entry.value)
    }

    /// The sub-section named `name`; an empty one when absent; an error when not a mapping.
    public func section(_ name: String) throws(ConfigError) -> ConfigSection {
        guard let f = field(name) else { return .empty(file: file, path: childPath(name)) }
        return try f.section()
    }

    /// Calls `body` for every field except those in `skipping`, in file order.
    public func forEach(skipping: Set<String> = [], _ body: (ConfigField) throws(ConfigError) -> Void) throws(ConfigError) {
        for entry in entries where !skipping.contains(entry.key) {
            try body(ConfigField(file: file, path: childPath(entry.key), node: entry.value))
        }
    }

    /// The same section with `path` (dotted, below this section) set to `value`: how flags
    /// override the file. `origin` (e.g. `--reads`) names the value in errors.
    public func overriding(_ path: String, with value: String, origin: String) -> ConfigSection {
        let parts = path.split(separator: ".").map(String.init)
        return ConfigSection(file: file, path: self.path, node: Self.set(node, parts[...], .flag(value, flag: origin)))
    }

    private static func set(_ node: ConfigNode, _ parts: ArraySlice<String>, _ value: ConfigNode) -> ConfigNode {
        guard let head = parts.first else { return value }
        var entries: [ConfigEntry] = []
        var line: Int?
        if case .mapping(let m, let l) = node {
            entries = m
            line = l
        }
        if let i = entries.lastIndex(where: { $0.key == head }) {
            entries[i].value = set(entries[i].value, parts.dropFirst(), value)
        } else {
            entries.append(ConfigEntry(key: head, keyLine: nil, value: set(.mapping([], line: nil), parts.dropFirst(), value)))
        }
        return .mapping(entries, line: line)
    }

    private func childPath(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
}
