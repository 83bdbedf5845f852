extension JSONScanner {
    /// The slow path of `parseString`, for strings with escapes.
    mutating func parseEscapedString(from start: Int) throws(ScanFailure) -> String {
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
    mutating func hex4(_ escape: Int) throws(ScanFailure) -> UInt32 {
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
}
