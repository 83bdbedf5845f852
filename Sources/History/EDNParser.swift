/// Why the EDN parser stopped: it needs more input, or the input is wrong.
enum EDNFailure: Error {
    /// The window ended before the value did, and more input may follow.
    case needMore
    /// A syntax error at `offset`; `opened` is where the unfinished structure started, if any.
    case syntax(offset: Int, message: String, opened: (kind: String, offset: Int)?)
}

/// A recursive-descent parser for the EDN subset of Jepsen histories, over a window of bytes.
///
/// When it runs off the end of the window before the input ends it throws `needMore`; the
/// caller reads on and parses the same value again from its start.
struct EDNParser {
    let p: UnsafePointer<UInt8>
    let count: Int
    let atEOF: Bool
    var i: Int

    /// Collections nested deeper than this are rejected rather than overflowing the stack.
    static let maxDepth = 512

    init(_ start: UnsafePointer<UInt8>, count: Int, atEOF: Bool, from offset: Int) {
        p = start
        self.count = count
        self.atEOF = atEOF
        i = offset
    }

    func fail(_ message: String, at offset: Int? = nil, opened: (kind: String, offset: Int)? = nil) -> EDNFailure {
        .syntax(offset: offset ?? i, message: message, opened: opened)
    }

    /// The byte at the current position, nil at the end of the input.
    mutating func peek() throws(EDNFailure) -> UInt8? {
        if i < count { return p[i] }
        if atEOF { return nil }
        throw .needMore
    }

    /// Whether `c` ends a token.
    @inline(__always)
    static func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C, UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: "\""), UInt8(ascii: ";"), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    /// A description of the current byte for messages.
    var found: String {
        guard i < count else { return "end of file" }
        let c = p[i]
        if c == 0x0A { return "end of line" }
        if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x" + String(c, radix: 16)
    }

    /// Skips whitespace, commas, `;` comments and `#_` discarded values.
    mutating func skipAtmosphere(depth: Int = 0) throws(EDNFailure) {
        while let c = try peek() {
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, UInt8(ascii: ","):
                i += 1
            case UInt8(ascii: ";"):
                while let d = try peek(), d != 0x0A { i += 1 }
            case UInt8(ascii: "#"):
                guard i + 1 < count || atEOF else { throw .needMore }
                guard i + 1 < count, p[i + 1] == UInt8(ascii: "_") else { return }
                let start = i
                i += 2
                try skipAtmosphere(depth: depth)
                guard try peek() != nil else { throw fail("expected a value to discard after '#_'", at: start) }
                _ = try parseValue(depth: depth)
            default:
                return
            }
        }
    }

    /// Reads the token (symbol, keyword or number text) at the current position.
    mutating func token() throws(EDNFailure) -> String {
        let start = i
        while i < count && !EDNParser.isDelimiter(p[i]) { i += 1 }
        if i == count && !atEOF { throw .needMore }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    /// Parses one value; the caller has skipped the atmosphere before it.
    mutating func parseValue(depth: Int = 0) throws(EDNFailure) -> EDNValue {
        guard let c = try peek() else { throw fail("expected a value, found end of file") }
        let start = i
        switch c {
        case UInt8(ascii: "("): return .list(try parseSequence(close: ")", kind: "list", depth: depth))
        case UInt8(ascii: "["): return .vector(try parseSequence(close: "]", kind: "vector", depth: depth))
        case UInt8(ascii: "{"): return try parseMap(depth: depth)
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            throw fail("unexpected \(found); expected a value")
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "\\"): return .char(try parseChar())
        case UInt8(ascii: ":"):
            i += 1
            let name = try token()
            guard !name.isEmpty else { throw fail("expected a keyword name after ':'", at: start) }
            return .keyword(name.hasPrefix(":") ? String(name.dropFirst()) : name)
        case UInt8(ascii: "#"):
            return try parseDispatch(depth: depth)
        default:
            let text = try token()
            guard !text.isEmpty else { throw fail("unexpected \(found); expected a value") }
            let first = text.utf8[text.utf8.startIndex]
            let second = text.utf8.dropFirst().first
            let isDigit: (UInt8?) -> Bool = { $0.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
            if isDigit(first) || ((first == UInt8(ascii: "-") || first == UInt8(ascii: "+")) && isDigit(second)) {
                guard let number = EDNParser.number(text) else { throw fail("invalid number '\(text)'", at: start) }
                return number
            }
            switch text {
            case "nil": return .null
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .symbol(text)
            }
        }
    }

    /// Parses an integer (optional `N`), a float (optional `M`) or a ratio (as a double).
    static func number(_ text: String) -> EDNValue? {
        var t = Substring(text)
        if t.hasSuffix("N") {
            t = t.dropLast()
            if let n = Int64(t) { return .int(n) }
            return Double(t).map { .double($0) }
        }
        if t.hasSuffix("M") { return Double(t.dropLast()).map { .double($0) } }
        if let slash = t.firstIndex(of: "/") {
            guard let a = Double(t[..<slash]), let b = Double(t[t.index(after: slash)...]), b != 0 else { return nil }
            return .double(a / b)
        }
        if let n = Int64(t) { return .int(n) }
        return Double(t).map { .double($0) }
    }

    /// Parses `(...)` or `[...]` elements up to `close`.
    private mutating func parseSequence(close: Character, kind: String, depth: Int) throws(EDNFailure) -> [EDNValue] {
        let open = i
        guard depth < EDNParser.maxDepth else { throw fail("collections nested deeper than \(EDNParser.maxDepth) levels") }
        i += 1
        var items: [EDNValue] = []
        let closeByte = close.asciiValue ?? 0
        while true {
            try skipAtmosphere(depth: depth + 1)
            guard let c = try peek() else {
                throw fail("unexpected end of file; expected a value or '\(close)' to close the \(kind)", opened: (kind, open))
            }
            if c == closeByte {
                i += 1
                return items
            }
            if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                throw fail("unexpected \(found); expected a value or '\(close)' to close the \(kind)", opened: (kind, open))
            }
            items.append(try parseValue(depth: depth + 1))
        }
    }

    /// Parses `{k v ...}` into its entries.
    private mutating func parseMap(depth: Int) throws(EDNFailure) -> EDNValue {
        let open = i
        let entries = try parseSequence(close: "}", kind: "map", depth: depth)
        guard entries.count % 2 == 0 else {
            throw fail("the map has a key without a value (\(entries.count) forms)", at: i - 1, opened: ("map", open))
        }
        var pairs: [(key: EDNValue, value: EDNValue)] = []
        pairs.reserveCapacity(entries.count / 2)
        var k = 0
        while k < entries.count {
            pairs.append((entries[k], entries[k + 1]))
            k += 2
        }
        return .map(pairs)
    }

    /// Parses `#{...}`, `##Inf`, `#tag value` (as the value).
    private mutating func parseDispatch(depth: Int) throws(EDNFailure) -> EDNValue {
        let start = i
        guard i + 1 < count || atEOF else { throw .needMore }
        guard i + 1 < count else { throw fail("expected a set, a tag or '#_' after '#', found end of file") }
        let next = p[i + 1]
        if next == UInt8(ascii: "{") {
            i += 1
            return .set(try parseSequence(close: "}", kind: "set", depth: depth))
        }
        if next == UInt8(ascii: "#") {
            i += 2
            switch try token() {
            case "Inf": return .double(.infinity)
            case "-Inf": return .double(-.infinity)
            case "NaN": return .double(.nan)
            case let other: throw fail("unknown symbolic value '##\(other)'; expected ##Inf, ##-Inf or ##NaN", at: start)
            }
        }
        i += 1
        let tag = try token()
        guard let first = tag.first, first.isLetter else {
            throw fail("expected a set '#{', a tag such as '#inst' or '#_' after '#'", at: start)
        }
        try skipAtmosphere(depth: depth)
        guard try peek() != nil else { throw fail("expected a value after the tag '#\(tag)', found end of file") }
        return try parseValue(depth: depth)
    }

    /// Parses a string literal with its escapes.
    private mutating func parseString() throws(EDNFailure) -> String {
        let open = i
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = try peek() else {
                throw fail("unexpected end of file in a string; expected '\"'", opened: ("string", open))
            }
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                continue
            }
            guard let e = try peek() else {
                throw fail("unexpected end of file in a string; expected '\"'", opened: ("string", open))
            }
            i += 1
            switch e {
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(e)
            case UInt8(ascii: "u"):
                guard i + 4 <= count || atEOF else { throw .needMore }
                guard i + 4 <= count,
                      let v = UInt32(String(decoding: UnsafeBufferPointer(start: p + i, count: 4), as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(v)
                else { throw fail("expected four hex digits after \\u", at: i - 2) }
                i += 4
                UTF8.encode(scalar) { out.append($0) }
            default:
                throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", at: i - 2)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string", at: open) }
        return s
    }

    /// Parses a character literal: `\a`, `\newline`, `\space`, `\tab`, `\uXXXX`.
    private mutating func parseChar() throws(EDNFailure) -> String {
        let start = i
        i += 1
        guard let first = try peek() else { throw fail("expected a character after '\\', found end of file") }
        // The first character is taken even if it is a delimiter (`\(`), then letters follow.
        var length = 1
        if first >= 0xC0 { length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2 }
        guard i + length <= count || atEOF else { throw .needMore }
        let head = String(decoding: UnsafeBufferPointer(start: p + i, count: min(length, count - i)), as: UTF8.self)
        i += length
        let rest = i < count && !EDNParser.isDelimiter(p[i]) ? try token() : (i == count && !atEOF ? try token() : "")
        if rest.isEmpty { return head }
        switch head + rest {
        case "newline": return "\n"
        case "space": return " "
        case "tab": return "\t"
        case "return": return "\r"
        case "formfeed": return "\u{0C}"
        case "backspace": return "\u{08}"
        case let name where name.hasPrefix("u") && name.count == 5:
            if let v = UInt32(name.dropFirst(), radix: 16), let scalar = Unicode.Scalar(v) { return String(Character(scalar)) }
            throw fail("invalid character literal '\\\(name)'", at: start)
        case let name:
            throw fail("unknown character name '\\\(name)'; expected a single character, \\newline, \\space, \\tab, \\return or \\uXXXX", at: start)
        }
    }
}
