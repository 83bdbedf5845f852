import Basics

/// One field of a workload file, with typed readers that name the field and its line on error.
///
/// ```swift
/// try section.forEach { field throws(ConfigError) in
///     switch field.name {
///     case "binary": binary = try field.string()
///     case "timeout": timeout = try field.seconds(min: 0.01)
///     default: throw field.unknown(expected: ["binary", "timeout"])
///     }
/// }
/// ```
public struct ConfigField: Sendable {
    /// The file (or flag) the value came from.
    public let file: String
    /// The full path, e.g. `db.binary`.
    public let path: String
    /// The last part of the path, e.g. `binary`.
    public let name: String
    public let node: ConfigNode

    public init(file: String, path: String, node: ConfigNode) {
        self.file = file
        self.path = path
        self.name = path.split(separator: ".").last.map(String.init) ?? path
        self.node = node
    }

    /// An error about this field.
    public func fail(_ message: String) -> ConfigError {
        if case .flag(_, let flag) = node { return ConfigError(file: flag, line: nil, field: "", message: message) }
        return ConfigError(file: file, line: node.line, field: path, message: message)
    }

    /// The error for a field nobody knows, listing the ones that are known.
    public func unknown(expected known: [String]) -> ConfigError {
        fail("unknown field; expected one of \(known.joined(separator: ", "))")
    }

    /// Text, not empty.
    public func string() throws(ConfigError) -> String {
        guard let s = node.text, !s.isEmpty else { throw fail("expected text") }
        return s
    }

    /// A name usable in file paths: letters, digits, `-`, `_` and `.`, at most 64.
    public func identifier() throws(ConfigError) -> String {
        let s = try string()
        guard s.count <= 64, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }), !s.hasPrefix(".") else {
            throw fail("\"\(s)\" is not a usable name: letters, digits, '-', '_' and '.', at most 64")
        }
        return s
    }

    /// One of `allowed`.
    public func choice(_ allowed: [String]) throws(ConfigError) -> String {
        let s = try string()
        guard allowed.contains(s) else { throw fail("\"\(s)\" is not one of \(allowed.joined(separator: ", "))") }
        return s
    }

    /// A whole number in `min...max`.
    public func int(min: Int, max: Int = Int.max) throws(ConfigError) -> Int {
        guard let i = Int(try string()) else { throw fail("expected a whole number") }
        guard i >= min, i <= max else {
            throw fail(max == Int.max ? "must be at least \(min), got \(i)" : "must be between \(min) and \(max), got \(i)")
        }
        return i
    }

    /// A finite number, at least `min`.
    public func double(min: Double) throws(ConfigError) -> Double {
        guard let d = Double(try string()), d.isFinite else { throw fail("expected a number") }
        guard d >= min else { throw fail("must be at least \(min), got \(d)") }
        return d
    }

    /// `true`/`false` (also yes/no, on/off).
    public func bool() throws(ConfigError) -> Bool {
        switch try string() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("expected true or false")
        }
    }

    /// A duration: `30s`, `500ms`, `2m`, or a plain number of seconds, at least `min`.
    public func seconds(min: Double) throws(ConfigError) -> Double {
        let text = try string()
        guard let s = Duration.parseSeconds(text) else { throw fail("\"\(text)\" is not a duration; write e.g. 30s, 500ms or 2m") }
        guard s >= min else { throw fail("must be at least \(min) s, got \(text)") }
        return s
    }

    /// A list of texts; an empty value or `none` is the empty list; `a,b` is two items.
    public func strings() throws(ConfigError) -> [String] {
        switch node {
        case .scalar(let s, _), .flag(let s, _):
            if s.isEmpty || s == "none" { return [] }
            return s.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        case .sequence(let items, _):
            var out: [String] = []
            for item in items {
                let field = ConfigField(file: file, path: path, node: item)
                out.append(try field.string())
            }
            return out
        case .mapping:
            throw fail("expected a list, e.g. [partition, kill]")
        }
    }

    /// The field as a section, when it is a mapping.
    public func section() throws(ConfigError) -> ConfigSection {
        guard case .mapping = node else { throw fail("expected a mapping") }
        return ConfigSection(file: file, path: path, node: node)
    }

    /// Weights by name (each at least 0, one above 0), for mixes of functions.
    public func weights(of allowed: [String]) throws(ConfigError) -> [String: Double] {
        var out: [String: Double] = [:]
        try section().forEach { entry throws(ConfigError) in
            guard allowed.contains(entry.name) else { throw entry.unknown(expected: allowed) }
            out[entry.name] = try entry.double(min: 0)
        }
        guard out.values.contains(where: { $0 > 0 }) else { throw fail("give at least one function a weight above 0") }
        return out
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
