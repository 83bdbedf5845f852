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

    /// The slow path of `parseString`, for strings with escapes.
    private mutating func parseEscapedString(from start: Int) throws(ScanFailure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(i - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
        while i < end {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in string", at: start)
                }
                return s
            }
            if c < 0x20 { throw fail("control character \(found) in string; escape it as \\u00XX") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            let escape = i
            i += 1
            guard i < end else { break }
            let e = p[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(escape)
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 1 < end, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)); expected a low surrogate \\uDC00-\\uDFFF after it", at: escape)
                    }
                    i += 2
                    let low = try hex4(escape)
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw fail("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)); expected a low surrogate \\uDC00-\\uDFFF after it", at: escape)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail("unpaired low surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escape)
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape", at: escape) }
                UTF8.encode(u) { out.append($0) }
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: escape)
            }
        }
        throw fail("unterminated string (it starts here); expected '\"'", at: start - 1)
    }

    /// Four hex digits of a `\u` escape.
    private mutating func hex4(_ escape: Int) throws(ScanFailure) -> UInt32 {
        guard i + 4 <= end else { throw fail("expected four hex digits after \\u", at: escape) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw fail("expected four hex digits after \\u", at: escape)
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    /// Parses a number; returns it and the range of its text.
    mutating func parseNumber() throws(ScanFailure) -> (value: JSONValue, start: Int) {
        let start = i
        var negative = false
        if p[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < end, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit in number") }
        var magnitude: UInt64 = 0
        var overflow = false
        if p[i] == 0x30 {
            i += 1
            if i < end, p[i] >= 0x30, p[i] <= 0x39 { throw fail("leading zero in number") }
        } else {
            while i < end, p[i] >= 0x30, p[i] <= 0x39 {
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(p[i] - 0x30))
                overflow = overflow || o1 || o2
                magnitude = a
                i += 1
            }
        }
        var integral = true
        if i < end, p[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard i < end, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit after '.' in number") }
            while i < end, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        if i < end, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < end, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit in the exponent of number") }
            while i < end, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        if integral && !overflow {
            if !negative && magnitude <= UInt64(Int64.max) { return (.int(Int64(magnitude)), start) }
            if negative && magnitude <= UInt64(Int64.max) + 1 {
                return (.int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)), start)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
        guard let d = Double(text) else { throw fail("number out of range", at: start) }
        return (.double(d), start)
    }

    /// The text of the bytes `start..<i`.
    func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
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
