import Basics

extension JSONScanner {
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
        // JSON has no infinity: a number beyond the double range would read as one and be written
        // back as null, so it is refused here.
        guard let d = Double(text), d.isFinite else {
            throw fail("number out of range (beyond what a double holds): \(text.prefix(40))", at: start)
        }
        // `1.0` and `2e3` are integers, as the format says: equal to `1` and `2000` everywhere.
        // Only below 2^53 in magnitude, where every whole double is exactly an integer.
        if !integral, d.magnitude < JSONScanner.exactIntegerLimit, let n = Int64(exactly: d) { return (.int(n), start) }
        return (.double(d), start)
    }

    /// 2^53: below it, every integer is exactly a double and doubles apart by at most 1.
    static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// The text of the bytes `start..<i`.
    func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

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
