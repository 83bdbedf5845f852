import Yams

/// Typed readers for workload fields: each names the field and its line when a value is wrong.
struct Fields {
    let file: String

    func fail(_ node: Node, _ field: String, _ message: String) -> WorkloadError {
        WorkloadError(file: file, line: node.mark?.line, field: field, message: message)
    }

    func unknown(_ node: Node, _ field: String, _ known: [String]) -> WorkloadError {
        fail(node, field, "unknown field; expected one of \(known.joined(separator: ", "))")
    }

    /// Calls `body` with each field of a mapping.
    func section(_ node: Node, _ field: String, _ body: (String, Node) throws(WorkloadError) -> Void) throws(WorkloadError) {
        guard case .mapping(let m) = node else { throw fail(node, field, "expected a mapping") }
        for (k, v) in m { try body(k.string ?? "", v) }
    }

    func string(_ node: Node, _ field: String) throws(WorkloadError) -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw fail(node, field, "expected text") }
        return s.string
    }

    func name(_ node: Node, _ field: String) throws(WorkloadError) -> String {
        let s = try string(node, field)
        guard s.count <= 64, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }), !s.hasPrefix(".") else {
            throw fail(node, field, "\"\(s)\" is not a usable name: letters, digits, '-', '_' and '.', at most 64")
        }
        return s
    }

    func choice(_ node: Node, _ field: String, _ allowed: [String]) throws(WorkloadError) -> String {
        let s = try string(node, field)
        guard allowed.contains(s) else { throw fail(node, field, "\"\(s)\" is not one of \(allowed.joined(separator: ", "))") }
        return s
    }

    func int(_ node: Node, _ field: String, min: Int, max: Int = Int.max) throws(WorkloadError) -> Int {
        guard let i = Int(try string(node, field)) else { throw fail(node, field, "expected a whole number") }
        guard i >= min, i <= max else {
            throw fail(node, field, max == Int.max ? "must be at least \(min), got \(i)" : "must be between \(min) and \(max), got \(i)")
        }
        return i
    }

    func double(_ node: Node, _ field: String, min: Double) throws(WorkloadError) -> Double {
        guard let d = Double(try string(node, field)), d.isFinite else { throw fail(node, field, "expected a number") }
        guard d >= min else { throw fail(node, field, "must be at least \(min), got \(d)") }
        return d
    }

    func bool(_ node: Node, _ field: String) throws(WorkloadError) -> Bool {
        switch try string(node, field) {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, field, "expected true or false")
        }
    }

    /// A duration: `30s`, `500ms`, `2m`, or a plain number of seconds.
    func seconds(_ node: Node, _ field: String, min: Double) throws(WorkloadError) -> Double {
        let text = try string(node, field)
        guard let s = Duration.parseSeconds(text) else { throw fail(node, field, "\"\(text)\" is not a duration; write e.g. 30s, 500ms or 2m") }
        guard s >= min else { throw fail(node, field, "must be at least \(min) s, got \(text)") }
        return s
    }

    func list(_ node: Node, _ field: String, of allowed: [String]) throws(WorkloadError) -> [String] {
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "none" { return [] }
        guard case .sequence(let items) = node else { throw fail(node, field, "expected a list, e.g. [partition, kill]") }
        var out: [String] = []
        for item in items { out.append(try choice(item, field, allowed)) }
        return out
    }

    func mix(_ node: Node, _ field: String) throws(WorkloadError) -> [String: Double] {
        var out: [String: Double] = [:]
        try section(node, field) { name, value throws(WorkloadError) in
            guard ["read", "write", "cas"].contains(name) else { throw unknown(value, "\(field).\(name)", ["read", "write", "cas"]) }
            out[name] = try double(value, "\(field).\(name)", min: 0)
        }
        guard out.values.contains(where: { $0 > 0 }) else { throw fail(node, field, "give at least one function a weight above 0") }
        return out
    }
}

extension Duration {
    /// Seconds from `30s`, `500ms`, `2m`, `1h` or a plain number; nil when it is not one.
    public static func parseSeconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let v = Double(text.dropLast(suffix.count)), v >= 0, v.isFinite else { return nil }
            return v * scale
        }
        guard let v = Double(text), v >= 0, v.isFinite else { return nil }
        return v
    }
}
