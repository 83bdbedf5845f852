/// A RESP2 value: what a Redis server answers, and (as an array of bulk strings) what a client sends.
///
/// RESP2 is Redis's wire protocol: `+simple\r\n`, `-error\r\n`, `:integer\r\n`,
/// `$length\r\nbytes\r\n` (`$-1\r\n` is the null bulk string) and `*count\r\n` followed by
/// `count` values (`*-1\r\n` is the null array).
public enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    /// A bulk string; nil is RESP's null bulk string (`$-1`).
    case bulkString([UInt8]?)
    /// An array; nil is RESP's null array (`*-1`).
    case array([RESPValue]?)

    /// The text of a simple or bulk string (bulk strings decoded as UTF-8); nil for other values.
    public var text: String? {
        switch self {
        case .simpleString(let s): return s
        case .bulkString(let bytes?): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// A short, bounded rendering for error messages.
    public var summary: String {
        switch self {
        case .simpleString(let s): return "+" + String(s.prefix(200))
        case .error(let s): return "-" + String(s.prefix(200))
        case .integer(let i): return ":\(i)"
        case .bulkString(nil): return "(nil)"
        case .bulkString(let b?): return "\"" + String(String(decoding: b, as: UTF8.self).prefix(200)) + "\""
        case .array(nil): return "(nil array)"
        case .array(let items?): return "[" + items.prefix(10).map(\.summary).joined(separator: ", ") + (items.count > 10 ? ", …]" : "]")
        }
    }
}

/// Encodes commands and decodes answers of RESP2. Pure: works on byte arrays, no I/O.
public enum RESP {
    /// Largest bulk string accepted (Redis's own limit for a value is 512 MB; a register needs bytes).
    public static let maxBulkBytes = 16 << 20
    /// Most elements in one array.
    public static let maxArrayCount = 1 << 20
    /// Deepest nesting of arrays accepted.
    public static let maxDepth = 16
    /// Longest simple string, error or integer line.
    public static let maxLineBytes = 64 << 10

    /// A malformed answer: what was wrong and at which byte offset.
    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var offset: Int

        /// What was wrong, at which byte offset of the answer.
        public init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }

        public var description: String { "malformed RESP at byte \(offset): \(message)" }
    }

    /// A command as RESP sends it: an array of bulk strings.
    public static func encode(command: [String]) -> [UInt8] {
        var out: [UInt8] = Array("*\(command.count)\r\n".utf8)
        for word in command {
            let bytes = Array(word.utf8)
            out += Array("$\(bytes.count)\r\n".utf8)
            out += bytes
            out += [13, 10]
        }
        return out
    }

    /// Decodes one value from the start of `bytes[from...]`: the value and the offset after it,
    /// nil when the bytes end before the value does; throws when they cannot be RESP2.
    public static func decode(_ bytes: [UInt8], from start: Int = 0) throws(Malformed) -> (RESPValue, Int)? {
        try decode(bytes, at: start, depth: 0)
    }

    private static func decode(_ bytes: [UInt8], at start: Int, depth: Int) throws(Malformed) -> (RESPValue, Int)? {
        guard start < bytes.count else { return nil }
        guard depth <= maxDepth else { throw Malformed(message: "arrays nested deeper than \(maxDepth)", offset: start) }
        guard let (line, next) = try readLine(bytes, from: start + 1) else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "+"):
            return (.simpleString(String(decoding: line, as: UTF8.self)), next)
        case UInt8(ascii: "-"):
            return (.error(String(decoding: line, as: UTF8.self)), next)
        case UInt8(ascii: ":"):
            return (.integer(try integer(line, at: start + 1)), next)
        case UInt8(ascii: "$"):
            let length = try integer(line, at: start + 1)
            if length == -1 { return (.bulkString(nil), next) }
            guard length >= 0, length <= maxBulkBytes else {
                throw Malformed(message: "bulk string length \(length) outside 0...\(maxBulkBytes)", offset: start + 1)
            }
            let end = next + Int(length)
            guard end + 2 <= bytes.count else { return nil }
            guard bytes[end] == 13, bytes[end + 1] == 10 else {
                throw Malformed(message: "bulk string of \(length) bytes not followed by CRLF", offset: end)
            }
            return (.bulkString(Array(bytes[next..<end])), end + 2)
        case UInt8(ascii: "*"):
            let count = try integer(line, at: start + 1)
            if count == -1 { return (.array(nil), next) }
            guard count >= 0, count <= maxArrayCount else {
                throw Malformed(message: "array count \(count) outside 0...\(maxArrayCount)", offset: start + 1)
            }
            var items: [RESPValue] = []
            var offset = next
            for _ in 0..<Int(count) {
                guard let (item, after) = try decode(bytes, at: offset, depth: depth + 1) else { return nil }
                items.append(item)
                offset = after
            }
            return (.array(items), offset)
        default:
            throw Malformed(message: "unknown type byte 0x\(String(bytes[start], radix: 16))", offset: start)
        }
    }

    /// The bytes up to CRLF from `start`, and the offset after the CRLF; nil when no CRLF yet.
    private static func readLine(_ bytes: [UInt8], from start: Int) throws(Malformed) -> ([UInt8], Int)? {
        var i = start
        while i < bytes.count {
            if bytes[i] == 13 {
                guard i + 1 < bytes.count else { return nil }
                guard bytes[i + 1] == 10 else { throw Malformed(message: "CR not followed by LF", offset: i) }
                return (Array(bytes[start..<i]), i + 2)
            }
            if bytes[i] == 10 { throw Malformed(message: "LF without CR", offset: i) }
            if i - start >= maxLineBytes { throw Malformed(message: "line longer than \(maxLineBytes) bytes", offset: start) }
            i += 1
        }
        if bytes.count - start > maxLineBytes { throw Malformed(message: "line longer than \(maxLineBytes) bytes", offset: start) }
        return nil
    }

    private static func integer(_ line: [UInt8], at offset: Int) throws(Malformed) -> Int64 {
        guard let value = Int64(String(decoding: line, as: UTF8.self)) else {
            throw Malformed(message: "not an integer: '\(String(decoding: line.prefix(40), as: UTF8.self))'", offset: offset)
        }
        return value
    }
}
