import Basics

/// A place in a line and what was wrong there, before it becomes a `HistoryError`.
struct ScanFailure: Error {
    /// Byte offset of the problem within the line (or window).
    var offset: Int
    var message: String
}

/// A hand-written JSON scanner over the bytes of one line.
///
/// It never builds a tree for the whole input: callers pull one value at a time.
struct JSONScanner {
    let p: UnsafePointer<UInt8>
    let end: Int
    var i: Int = 0

    /// Values nested deeper than this are rejected rather than overflowing the stack.
    static let maxDepth = 512

    init(_ start: UnsafePointer<UInt8>, count: Int) {
        p = start
        end = count
    }

    /// Skips JSON whitespace.
    @inline(__always)
    mutating func skipSpace() {
        while i < end {
            let c = p[i]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { i += 1 } else { return }
        }
    }

    /// The current byte, or nil at the end of the line.
    @inline(__always)
    var current: UInt8? { i < end ? p[i] : nil }

    /// A short description of the current byte for messages: `'x'` or `end of line`.
    var found: String {
        guard i < end else { return "end of line" }
        let c = p[i]
        if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        if c >= 0x80 {
            var j = i + 1
            while j < end && p[j] & 0xC0 == 0x80 { j += 1 }
            return "'" + String(decoding: UnsafeBufferPointer(start: p + i, count: j - i), as: UTF8.self) + "'"
        }
        return "byte 0x" + String(c, radix: 16)
    }

    func fail(_ message: String, at offset: Int? = nil) -> ScanFailure {
        ScanFailure(offset: offset ?? i, message: message)
    }

    /// Parses a string; the current byte must be `"`.
    mutating func parseString() throws(ScanFailure) -> String {
        let open = i
        i += 1
        let start = i
        var ascii = true
        while i < end {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: p + start, count: i - start)
                i += 1
                if ascii { return String(decoding: bytes, as: UTF8.self) }
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in string", at: start)
                }
                return s
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { break }
            if c >= 0x80 { ascii = false }
            i += 1
        }
        if i >= end { throw fail("unterminated string (it starts here); expected '\"'", at: open) }
        return try parseEscapedString(from: start)
    }

    /// Parses `true`, `false` or `null` given its first letter.
    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(ScanFailure) -> JSONValue {
        let n = word.utf8CodeUnitCount
        guard i + n <= end, memcmpEqual(p + i, word.utf8Start, n) else {
            throw fail("expected a JSON value, found \(found)")
        }
        i += n
        return value
    }

    /// Parses any JSON value at the current position (after whitespace).
    mutating func parseValue(depth: Int = 0) throws(ScanFailure) -> JSONValue {
        guard i < end else { throw fail("expected a JSON value, found end of line") }
        switch p[i] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber().value
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "["):
            guard depth < JSONScanner.maxDepth else { throw fail("values nested deeper than \(JSONScanner.maxDepth) levels") }
            let open = i
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if current == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") {
                    i += 1
                } else if current == UInt8(ascii: "]") {
                    i += 1
                    return .array(items)
                } else {
                    throw fail("expected ',' or ']' in the array that starts at column \(ByteSource.column(p, length: open)), found \(found)")
                }
            }
        case UInt8(ascii: "{"):
            guard depth < JSONScanner.maxDepth else { throw fail("values nested deeper than \(JSONScanner.maxDepth) levels") }
            i += 1
            var fields: [String: JSONValue] = [:]
            skipSpace()
            if current == UInt8(ascii: "}") {
                i += 1
                return .object(fields)
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected '\"' to start a field name, found \(found)") }
                let name = try parseString()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':' after field name \"\(name)\", found \(found)") }
                i += 1
                skipSpace()
                fields[name] = try parseValue(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") {
                    i += 1
                } else if current == UInt8(ascii: "}") {
                    i += 1
                    return .object(fields)
                } else {
                    throw fail("expected ',' or '}' after field \"\(name)\", found \(found)")
                }
            }
        default:
            throw fail("expected a JSON value, found \(found)")
        }
    }
}

/// Whether `n` bytes at `a` and `b` are equal.
@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var k = 0
    while k < n {
        if a[k] != b[k] { return false }
        k += 1
    }
    return true
}

/// Whether the bytes at `a` spell `word`.
@inline(__always)
func equals(_ a: UnsafePointer<UInt8>, _ word: StaticString) -> Bool {
    memcmpEqual(a, word.utf8Start, word.utf8CodeUnitCount)
}
