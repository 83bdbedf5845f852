extension EDNParser {
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

    /// Parses a string literal with its escapes.
    mutating func parseString() throws(EDNFailure) -> String {
        let open = i
        i += 1
        // The usual string, with no escape: straight from the bytes.
        var j = i
        while j < count && p[j] != UInt8(ascii: "\"") && p[j] != UInt8(ascii: "\\") { j += 1 }
        if j < count && p[j] == UInt8(ascii: "\""),
           let s = String(validating: UnsafeBufferPointer(start: p + i, count: j - i), as: UTF8.self) {
            i = j + 1
            return s
        }
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
    mutating func parseChar() throws(EDNFailure) -> String {
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
