import Yams

/// A YAML value with the line it came from: the workload file as plug-ins read it.
///
/// Yams' own node is not `Sendable`; this copy is, and keeps only what error messages need.
public indirect enum ConfigNode: Sendable, Equatable {
    /// Text (numbers and booleans are text until a field reads them).
    case scalar(String, line: Int?)
    /// A value given on the command line by `flag` (e.g. `--reads`), overriding the file.
    case flag(String, flag: String)
    case sequence([ConfigNode], line: Int?)
    /// Keys in file order.
    case mapping([ConfigEntry], line: Int?)

    /// The 1-based line where the value starts, when known.
    public var line: Int? {
        switch self {
        case .scalar(_, let l), .sequence(_, let l), .mapping(_, let l): return l
        case .flag: return nil
        }
    }

    /// The text of a scalar or a flag's value; nil for lists and mappings.
    public var text: String? {
        switch self {
        case .scalar(let s, _), .flag(let s, _): return s
        default: return nil
        }
    }

    /// Parses YAML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigNode {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw ConfigError(file: file, line: syntaxLine(error), field: "", message: "not valid YAML: \(error)")
        }
        guard let root else { return .mapping([], line: 1) }
        return convert(root)
    }

    private static func convert(_ node: Node) -> ConfigNode {
        let line = node.mark?.line
        switch node {
        case .scalar(let s): return .scalar(s.string, line: line)
        case .sequence(let items): return .sequence(items.map(convert), line: line)
        case .mapping(let m):
            return .mapping(m.map { ConfigEntry(key: $0.key.string ?? "", keyLine: $0.key.mark?.line, value: convert($0.value)) }, line: line)
        case .alias: return .scalar("", line: line)
        }
    }

    /// The line of a YAML syntax error, when Yams reports one.
    private static func syntaxLine(_ error: Error) -> Int? {
        if case YamlError.scanner(_, _, let mark, _) = error { return mark.line }
        if case YamlError.parser(_, _, let mark, _) = error { return mark.line }
        return nil
    }
}

/// One `key: value` of a mapping.
public struct ConfigEntry: Sendable, Equatable {
    public var key: String
    /// The line of the key (a value may start on a later line).
    public var keyLine: Int?
    public var value: ConfigNode

    public init(key: String, keyLine: Int?, value: ConfigNode) {
        self.key = key
        self.keyLine = keyLine
        self.value = value
    }
}
