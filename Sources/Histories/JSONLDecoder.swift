import Basics

/// Decodes one line of Schism's native JSON Lines format into an `Op`.
///
/// Known fields are parsed straight from the bytes into the operation's properties; every
/// other field is kept in `extra`. See `docs/history-format.md` for the rules.
enum JSONLDecoder {
    /// Decodes `line`, the operation at 0-based `position` in the history.
    ///
    /// `inArray` reads an element of a JSON array of operations instead (elle-cli and others):
    /// its `index` is not checked against the position, and a missing `f` is `txn`.
    static func decode(_ line: UnsafePointer<UInt8>, count: Int, position: Int, inArray: Bool = false) throws(ScanFailure) -> Op {
        var s = JSONScanner(line, count: count)
        s.skipSpace()
        guard s.current == UInt8(ascii: "{") else {
            throw s.fail("expected '{' to start an operation, found \(s.found)")
        }
        s.i += 1
        var seen: UInt16 = 0
        var time: Int64?
        var process = ProcessID.client(0)
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
                    if n != Int64(position) && !inArray {
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
        if seen & Field.f == 0 {
            guard inArray else { throw s.fail("missing required field \"f\"", at: close) }
            f = "txn"
        }
        return Op(
            index: position, time: time, process: process, type: type, f: f, key: key,
            value: value, error: error, node: node, extra: extra)
    }
}
