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
                guard depth < EDNParser.maxDepth else { throw fail("forms nested deeper than \(EDNParser.maxDepth) levels") }
                let start = i
                i += 2
                try skipAtmosphere(depth: depth + 1)
                guard try peek() != nil else { throw fail("expected a value to discard after '#_'", at: start) }
                _ = try parseValue(depth: depth + 1)
            default:
                return
            }
        }
    }

    /// Reads the token (symbol, keyword or number text) at the current position.
    mutating func token() throws(EDNFailure) -> String {
        let start = try skipToken()
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    /// Moves past the token at the current position; returns where it started.
    mutating func skipToken() throws(EDNFailure) -> Int {
        let start = i
        while i < count && !EDNParser.isDelimiter(p[i]) { i += 1 }
        if i == count && !atEOF { throw .needMore }
        return start
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
            return .keyword(name.utf8.first == UInt8(ascii: ":") ? String(name.dropFirst()) : name)
        case UInt8(ascii: "#"):
            return try parseDispatch(depth: depth)
        default:
            if let n = plainInteger() { return .int(n) }
            if let literal = plainLiteral() { return literal }
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

    /// Reads an integer of 1 to 18 digits, with an optional `-`, followed by a delimiter (the
    /// usual number in a history) straight from the bytes; nil, having read nothing, otherwise.
    mutating func plainInteger() -> Int64? {
        var k = i
        let negative = k < count && p[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        let first = k
        var n: Int64 = 0
        while k < count, p[k] >= 0x30 && p[k] <= 0x39, k - first < 18 {
            n = n * 10 + Int64(p[k] - 0x30)
            k += 1
        }
        guard k > first, k < count ? EDNParser.isDelimiter(p[k]) : atEOF else { return nil }
        i = k
        return negative ? -n : n
    }

    /// Reads `nil`, `true` or `false` followed by a delimiter straight from the bytes; nil,
    /// having read nothing, otherwise.
    private mutating func plainLiteral() -> EDNValue? {
        let word: StaticString
        let value: EDNValue
        switch p[i] {
        case UInt8(ascii: "n"): (word, value) = ("nil", .null)
        case UInt8(ascii: "t"): (word, value) = ("true", .bool(true))
        case UInt8(ascii: "f"): (word, value) = ("false", .bool(false))
        default: return nil
        }
        let end = i + word.utf8CodeUnitCount
        guard end <= count, equals(p + i, word), end < count ? EDNParser.isDelimiter(p[end]) : atEOF else { return nil }
        i = end
        return value
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
        guard depth < EDNParser.maxDepth else { throw fail("forms nested deeper than \(EDNParser.maxDepth) levels") }
        try skipAtmosphere(depth: depth + 1)
        guard try peek() != nil else { throw fail("expected a value after the tag '#\(tag)', found end of file") }
        return try parseValue(depth: depth + 1)
    }
}
