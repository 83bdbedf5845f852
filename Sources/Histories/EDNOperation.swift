import Basics

/// Turns a Jepsen/Knossos op map such as `{:process 4, :type :ok, :f :read, :value 2}` into an `Operation`.
///
/// `:process` (integer → client, keyword or string → named), `:type`, `:f` are required;
/// `:key`, `:value`, `:time`, `:error`, `:node` are optional; `:index` is ignored (indices are
/// positions); every other entry goes to `extra` as JSON.
enum EDNOperation {
    /// The operation at `position` described by `value`, or a message saying what is wrong.
    static func operation(from value: EDNValue, position: Int) -> Result<Op, MappingFailure> {
        guard case .map(let entries) = value else {
            return .failure(MappingFailure(message: "expected an operation map '{:process ... :type ... :f ...}', found \(value.kind)"))
        }
        var process: ProcessID?
        var type: OpType?
        var f: String?
        var op = Op(index: position, process: .client(0), type: .invoke, f: "")
        for (key, item) in entries {
            guard let name = key.name ?? key.stringValue else {
                return .failure(MappingFailure(message: "expected keyword keys in an operation map, found \(key.kind) \(key.ednText)"))
            }
            switch name {
            case "process":
                switch item {
                case .int(let n): process = .client(Int(n))
                case .keyword(let s), .symbol(let s), .string(let s): process = .named(s)
                default:
                    return .failure(MappingFailure(message: "expected an integer or a keyword for :process, found \(item.kind) \(item.ednText)"))
                }
            case "type":
                guard let text = item.name ?? item.stringValue, let parsed = OpType(rawValue: text) else {
                    return .failure(MappingFailure(message: "unknown :type \(item.ednText); expected :invoke, :ok, :fail or :info"))
                }
                type = parsed
            case "f":
                if case .null = item {
                    return .failure(MappingFailure(message: "expected a keyword for :f, found nil"))
                }
                f = item.plainText
            case "key":
                if case .null = item { op.key = nil } else { op.key = item.plainText }
            case "value":
                op.value = item.json
            case "time":
                switch item {
                case .null: op.time = nil
                case .int(let n): op.time = n
                default:
                    return .failure(MappingFailure(message: "expected an integer (nanoseconds) for :time, found \(item.kind) \(item.ednText)"))
                }
            case "error":
                if case .null = item { op.error = nil } else { op.error = item.plainText }
            case "node":
                if case .null = item { op.node = nil } else { op.node = item.plainText }
            case "index":
                continue
            default:
                op.extra[name] = item.json
            }
        }
        guard let process else { return .failure(MappingFailure(message: "the operation has no :process")) }
        guard let type else { return .failure(MappingFailure(message: "the operation has no :type")) }
        guard let f else { return .failure(MappingFailure(message: "the operation has no :f")) }
        op.process = process
        op.type = type
        op.f = f
        return .success(op)
    }

    /// Why an op map cannot be an operation.
    struct MappingFailure: Error {
        var message: String
    }
}

extension EDNValue {
    /// The string, if this is a string.
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

extension EDNOperation {
    /// Reads a plain op map (`{:process 1, :type :ok, :f :read, :value 2}`, optionally tagged as
    /// Jepsen's `#jepsen.history.Op{...}`) straight from the bytes, without building its
    /// `EDNValue` map: the usual line of a history, read two to three times faster.
    ///
    /// Gives nil, having read anything, for a map it does not take this way (a key that is not a
    /// plain keyword, a missing field, an unusual value, a syntax error): the caller parses it
    /// again in general, which reads it or reports exactly what is wrong. Throws only `needMore`.
    static func operation(_ parser: inout EDNParser, position: Int) throws(EDNFailure) -> Op? {
        do throws(EDNFailure) {
            return try plainOperation(&parser, position: position)
        } catch .needMore {
            throw .needMore
        } catch {
            return nil
        }
    }

    private static func plainOperation(_ parser: inout EDNParser, position: Int) throws(EDNFailure) -> Op? {
        let p = parser.p
        if try parser.peek() == UInt8(ascii: "#") {
            parser.i += 1
            guard try parser.peek().map({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) == true else { return nil }
            _ = try parser.skipToken()
        }
        guard try parser.peek() == UInt8(ascii: "{") else { return nil }
        parser.i += 1
        var process: ProcessID?
        var type: OpType?
        var f: String?
        var time: Int64?
        var key: String?
        var value = JSONValue.null
        var error: String?
        var node: String?
        var extra: [String: JSONValue] = [:]
        while true {
            try parser.skipAtmosphere(depth: 1)
            guard let c = try parser.peek() else { return nil }
            if c == UInt8(ascii: "}") {
                parser.i += 1
                break
            }
            guard c == UInt8(ascii: ":") else { return nil }
            parser.i += 1
            let nameStart = try parser.skipToken()
            let name = p + nameStart, length = parser.i - nameStart
            guard length > 0, name[0] != UInt8(ascii: ":") else { return nil }
            try parser.skipAtmosphere(depth: 1)
            guard let v = try parser.peek(), v != UInt8(ascii: "}"), v != UInt8(ascii: "]"), v != UInt8(ascii: ")") else { return nil }
            switch length {
            case 1 where name[0] == UInt8(ascii: "f"):
                let item = try parser.parseValue(depth: 1)
                if case .null = item { return nil }
                f = item.plainText
            case 3 where equals(name, "key"):
                let item = try parser.parseValue(depth: 1)
                key = item.isNull ? nil : item.plainText
            case 4 where equals(name, "type"):
                guard v == UInt8(ascii: ":") else { return nil }
                parser.i += 1
                let start = try parser.skipToken()
                switch parser.i - start {
                case 2 where equals(p + start, "ok"): type = .ok
                case 4 where equals(p + start, "fail"): type = .fail
                case 4 where equals(p + start, "info"): type = .info
                case 6 where equals(p + start, "invoke"): type = .invoke
                default: return nil
                }
            case 4 where equals(name, "time"):
                if let n = parser.plainInteger() {
                    time = n
                } else {
                    guard try parser.parseValue(depth: 1).isNull else { return nil }
                    time = nil
                }
            case 4 where equals(name, "node"):
                let item = try parser.parseValue(depth: 1)
                node = item.isNull ? nil : item.plainText
            case 5 where equals(name, "value"):
                value = try parser.parseValue(depth: 1).json
            case 5 where equals(name, "error"):
                let item = try parser.parseValue(depth: 1)
                error = item.isNull ? nil : item.plainText
            case 5 where equals(name, "index"):
                _ = try parser.parseValue(depth: 1)
            case 7 where equals(name, "process"):
                if let n = parser.plainInteger() {
                    process = .client(Int(n))
                } else {
                    switch try parser.parseValue(depth: 1) {
                    case .keyword(let s), .symbol(let s), .string(let s): process = .named(s)
                    default: return nil
                    }
                }
            default:
                let label = String(decoding: UnsafeBufferPointer(start: name, count: length), as: UTF8.self)
                extra[label] = try parser.parseValue(depth: 1).json
            }
        }
        guard let process, let type, let f else { return nil }
        return Op(
            index: position, time: time, process: process, type: type, f: f, key: key, value: value,
            error: error, node: node, extra: extra)
    }
}

extension EDNValue {
    /// Whether this is `nil`.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
