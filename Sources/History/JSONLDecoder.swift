/// Decodes one line of Schism's native JSON Lines format into an `Operation`.
///
/// Known fields are parsed straight from the bytes into the operation's properties; every
/// other field is kept in `extra`. See `docs/history-format.md` for the rules.
enum JSONLDecoder {
    /// Bits for the known fields, to reject duplicates and find missing required ones.
    private enum Field {
        static let index: UInt16 = 1 << 0
        static let time: UInt16 = 1 << 1
        static let process: UInt16 = 1 << 2
        static let type: UInt16 = 1 << 3
        static let f: UInt16 = 1 << 4
        static let key: UInt16 = 1 << 5
        static let value: UInt16 = 1 << 6
        static let error: UInt16 = 1 << 7
        static let node: UInt16 = 1 << 8
    }

    /// Whether the bytes of a field name equal `name`.
    @inline(__always)
    private static func named(_ s: JSONScanner, _ start: Int, _ length: Int, _ name: StaticString) -> Bool {
        length == name.utf8CodeUnitCount && memcmpEqual(s.p + start, name.utf8Start, length)
    }

    /// Which known field a raw (escape-free) name is, or 0.
    @inline(__always)
    private static func knownField(_ s: JSONScanner, _ start: Int, _ length: Int) -> UInt16 {
        switch length {
        case 1: return s.p[start] == UInt8(ascii: "f") ? Field.f : 0
        case 3: return named(s, start, length, "key") ? Field.key : 0
        case 4:
            if named(s, start, length, "time") { return Field.time }
            if named(s, start, length, "type") { return Field.type }
            if named(s, start, length, "node") { return Field.node }
            return 0
        case 5:
            if named(s, start, length, "value") { return Field.value }
            if named(s, start, length, "index") { return Field.index }
            if named(s, start, length, "error") { return Field.error }
            return 0
        case 7: return named(s, start, length, "process") ? Field.process : 0
        default: return 0
        }
    }

    /// The known field a decoded name is, or 0 (for names written with escapes).
    private static func knownField(_ name: String) -> UInt16 {
        switch name {
        case "index": return Field.index
        case "time": return Field.time
        case "process": return Field.process
        case "type": return Field.type
        case "f": return Field.f
        case "key": return Field.key
        case "value": return Field.value
        case "error": return Field.error
        case "node": return Field.node
        default: return 0
        }
    }

    /// The type spelled by the plain string at the scanner (`"ok"` and so on), and its length with quotes.
    @inline(__always)
    private static func opType(_ s: JSONScanner) -> (type: OpType, length: Int)? {
        let rest = s.end - s.i
        if rest >= 4, named(s, s.i, 4, "\"ok\"") { return (.ok, 4) }
        if rest >= 6, named(s, s.i, 6, "\"fail\"") { return (.fail, 6) }
        if rest >= 6, named(s, s.i, 6, "\"info\"") { return (.info, 6) }
        if rest >= 8, named(s, s.i, 8, "\"invoke\"") { return (.invoke, 8) }
        return nil
    }

    /// The name of a known field, for messages.
    private static func fieldName(_ field: UInt16) -> String {
        switch field {
        case Field.index: return "index"
        case Field.time: return "time"
        case Field.process: return "process"
        case Field.type: return "type"
        case Field.f: return "f"
        case Field.key: return "key"
        case Field.value: return "value"
        case Field.error: return "error"
        default: return "node"
        }
    }

    /// Decodes `line`, the operation at 0-based `position` in the history.
    static func decode(_ line: UnsafePointer<UInt8>, count: Int, position: Int) throws(ScanFailure) -> Operation {
        var s = JSONScanner(line, count: count)
        s.skipSpace()
        guard s.current == UInt8(ascii: "{") else {
            throw s.fail("expected '{' to start an operation, found \(s.found)")
        }
        s.i += 1
        var seen: UInt16 = 0
        var time: Int64?
        var process = Process.client(0)
        var type = OpType.invoke
        var f = ""
        var key: String?
        var value = JSONValue.null
        var error: String?
        var node: String?
        var extra: [String: JSONValue] = [:]
        s.skipSpace()
        if s.current == UInt8(ascii: "}") {
            s.i += 1
        } else {
            while true {
                s.skipSpace()
                guard s.current == UInt8(ascii: "\"") else {
                    throw s.fail("expected '\"' to start a field name, found \(s.found)")
                }
                let nameStart = s.i
                // Fast path: a name without escapes is compared byte by byte, without a String.
                var j = s.i + 1
                while j < s.end && s.p[j] != UInt8(ascii: "\"") && s.p[j] != UInt8(ascii: "\\") { j += 1 }
                var field: UInt16
                var name: String?
                if j < s.end && s.p[j] == UInt8(ascii: "\"") {
                    field = knownField(s, s.i + 1, j - s.i - 1)
                    if field == 0 { name = try s.parseString() } else { s.i = j + 1 }
                } else {
                    let decoded = try s.parseString()
                    field = knownField(decoded)
                    name = decoded
                }
                if field != 0 {
                    if seen & field != 0 { throw s.fail("duplicate field \"\(fieldName(field))\"", at: nameStart) }
                    seen |= field
                } else if let label = name, extra[label] != nil {
                    throw s.fail("duplicate field \"\(label)\"", at: nameStart)
                }
                s.skipSpace()
                guard s.current == UInt8(ascii: ":") else {
                    throw s.fail("expected ':' after field name \"\(name ?? fieldName(field))\", found \(s.found)")
                }
                s.i += 1
                s.skipSpace()
                let valueStart = s.i
                switch field {
                case Field.index:
                    let n = try s.parseInteger(field: "index")
                    if n != Int64(position) {
                        throw s.fail("index \(n) does not match the operation's position \(position); indices must be dense, 0-based and in line order", at: valueStart)
                    }
                case Field.time:
                    if try s.takeNull() { break }
                    time = try s.parseInteger(field: "time")
                case Field.process:
                    if s.current == UInt8(ascii: "\"") {
                        process = .named(try s.parseString())
                    } else if s.startsNumber {
                        process = .client(Int(try s.parseInteger(field: "process")))
                    } else {
                        throw s.fail("expected an integer or a string for field \"process\", found \(s.foundValue)")
                    }
                case Field.type:
                    guard s.current == UInt8(ascii: "\"") else {
                        throw s.fail("expected a string (invoke, ok, fail or info) for field \"type\", found \(s.foundValue)")
                    }
                    if let fast = opType(s) {
                        type = fast.type
                        s.i += fast.length
                    } else {
                        let t = try s.parseString()
                        guard let parsed = OpType(rawValue: t) else {
                            throw s.fail("unknown type \"\(t)\"; expected invoke, ok, fail or info", at: valueStart)
                        }
                        type = parsed
                    }
                case Field.f:
                    guard s.current == UInt8(ascii: "\"") else {
                        throw s.fail("expected a string for field \"f\", found \(s.foundValue)")
                    }
                    f = try s.parseString()
                case Field.key:
                    if s.current == UInt8(ascii: "\"") {
                        key = try s.parseString()
                    } else if s.startsNumber {
                        let start = try s.parseNumber().start
                        key = s.text(from: start)
                    } else if try !s.takeNull() {
                        throw s.fail("expected a string, a number or null for field \"key\", found \(s.foundValue)")
                    }
                case Field.value:
                    value = try s.parseValue()
                case Field.error:
                    switch try s.parseValue() {
                    case .null: error = nil
                    case .string(let text): error = text
                    case let other: error = other.jsonText
                    }
                case Field.node:
                    if s.current == UInt8(ascii: "\"") {
                        node = try s.parseString()
                    } else if try !s.takeNull() {
                        throw s.fail("expected a string or null for field \"node\", found \(s.foundValue)")
                    }
                default:
                    extra[name ?? ""] = try s.parseValue()
                }
                s.skipSpace()
                if s.current == UInt8(ascii: ",") {
                    s.i += 1
                } else if s.current == UInt8(ascii: "}") {
                    s.i += 1
                    break
                } else {
                    throw s.fail("expected ',' or '}' after field \"\(name ?? fieldName(field))\", found \(s.found)")
                }
            }
        }
        let close = s.i - 1
        s.skipSpace()
        if s.i < s.end { throw s.fail("unexpected \(s.found) after the end of the operation; expected one operation per line") }
        if seen & Field.process == 0 { throw s.fail("missing required field \"process\"", at: close) }
        if seen & Field.type == 0 { throw s.fail("missing required field \"type\"", at: close) }
        if seen & Field.f == 0 { throw s.fail("missing required field \"f\"", at: close) }
        return Operation(
            index: position, time: time, process: process, type: type, f: f, key: key,
            value: value, error: error, node: node, extra: extra)
    }
}

extension JSONScanner {
    /// Whether a number starts at the current byte.
    var startsNumber: Bool {
        guard let c = current else { return false }
        return c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39)
    }

    /// What kind of JSON value starts at the current byte, for messages.
    var foundValue: String {
        switch current {
        case nil: return "end of line"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return startsNumber ? "a number" : found
        }
    }

    /// Parses an integer that fits in 64 bits, for the known field `field`.
    mutating func parseInteger(field: String) throws(ScanFailure) -> Int64 {
        let start = i
        guard startsNumber else { throw fail("expected an integer for field \"\(field)\", found \(foundValue)") }
        guard case .int(let n) = try parseNumber().value else {
            throw fail("expected an integer for field \"\(field)\", found \(text(from: start))", at: start)
        }
        return n
    }

    /// Consumes `null` if it is next; returns whether it did.
    mutating func takeNull() throws(ScanFailure) -> Bool {
        guard current == UInt8(ascii: "n") else { return false }
        _ = try parseValue()
        return true
    }
}
