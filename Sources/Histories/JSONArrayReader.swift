/// Streams the operations of one JSON array of operation objects, as elle-cli and other tools write them.
///
/// `[{"process":0,"type":"invoke","f":"read","value":null}, ...]`, on one line or many. Each
/// object is decoded as a JSON Lines operation (`JSONLDecoder`, `inArray`): its `index` is not
/// checked against the position and a missing `f` is `txn`. Objects are handed on one at a
/// time, so memory does not grow with the file.
struct JSONArrayReader {
    let input: ByteSource
    /// The place in the window being read.
    private var offset = 0
    /// A place whose line is known (`cursorLine`), to number the operations' lines cheaply.
    private var cursorOffset = 0
    private var cursorLine: Int

    init(_ input: ByteSource) {
        self.input = input
        cursorLine = input.firstLine
    }

    /// Calls `body` with every operation in order.
    mutating func read(_ body: (Op) throws -> Void) throws {
        var checks = OperationChecks(input)
        guard try next() == UInt8(ascii: "[") else {
            throw error(at: offset, "expected '[' to start a JSON array of operations, found \(found)")
        }
        let (openLine, openColumn) = input.position(of: offset)
        offset += 1
        var position = 0
        if try next() == UInt8(ascii: "]") {
            offset += 1
        } else {
            while true {
                guard try next() == UInt8(ascii: "{") else {
                    throw error(at: offset, "expected '{' to start an operation object, found \(found)")
                }
                let op = try operation(position: position)
                try checks.check(op, line: cursorLine)
                position += 1
                try body(op)
                let c = try next()
                offset += 1
                if c == UInt8(ascii: "]") { break }
                guard c == UInt8(ascii: ",") else {
                    offset -= 1
                    throw error(at: offset, "expected ',' or ']' after an operation in the array that starts at line \(openLine), column \(openColumn), found \(found)")
                }
            }
        }
        if try next() != nil {
            throw error(at: offset, "unexpected \(found) after the end of the array of operations; expected the end of the file")
        }
    }

    /// Decodes the object at `offset` (a `{`) and moves past it.
    private mutating func operation(position: Int) throws -> Op {
        // The line of the operation, counted from the last place whose line is known.
        cursorLine += ByteSource.newlines(in: input.bytes + cursorOffset, count: offset - cursorOffset)
        cursorOffset = offset
        let end = try objectEnd()
        do throws(ScanFailure) {
            let op = try JSONLDecoder.decode(input.bytes + offset, count: (end ?? input.count) - offset, position: position, inArray: true)
            offset = end ?? input.count
            return op
        } catch {
            var message = error.message
            // Cut off: the object runs to the end of the file, not of a line.
            if end == nil { message = message.replacingEndOfLine() }
            throw self.error(at: offset + error.offset, message)
        }
    }

    /// The offset just past the object that starts at `offset`, reading more as needed; nil if
    /// the input ends first. Strings are skipped; brackets are only counted (the decoder checks them).
    private mutating func objectEnd() throws(HistoryError) -> Int? {
        var k = offset
        var depth = 0
        var inString = false
        while true {
            while k < input.count {
                let c = input.bytes[k]
                if inString {
                    if c == UInt8(ascii: "\\") {
                        k += 2
                        continue
                    }
                    if c == UInt8(ascii: "\"") { inString = false }
                } else if c == UInt8(ascii: "\"") {
                    inString = true
                } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return k + 1 }
                }
                k += 1
            }
            if input.atEOF { return nil }
            k -= try readMore()
        }
    }

    /// Skips JSON whitespace and returns the next byte, reading more as needed; nil at the end of the input.
    private mutating func next() throws(HistoryError) -> UInt8? {
        while true {
            while offset < input.count {
                let c = input.bytes[offset]
                guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return c }
                offset += 1
            }
            if input.atEOF { return nil }
            _ = try readMore()
        }
    }

    /// Reads more, keeping the window from `offset`; returns how far offsets moved down.
    private mutating func readMore() throws(HistoryError) -> Int {
        let cut = try input.readMore(keepingFrom: offset)
        offset -= cut
        cursorOffset = 0
        cursorLine = input.firstLine
        return cut
    }

    /// The byte at `offset` for messages: `'x'` or `end of file`.
    private var found: String {
        guard offset < input.count else { return "end of file" }
        return JSONScanner(input.bytes + offset, count: input.count - offset).found
    }

    /// A `HistoryError` at `at` in the window.
    private func error(at: Int, _ message: String) -> HistoryError {
        let (line, column) = input.position(of: at)
        return HistoryError(file: input.name, line: line, column: column, message: message)
    }
}

extension String {
    /// The message with "end of line" said as "end of file".
    func replacingEndOfLine() -> String {
        let from = Array("end of line".utf8)
        let bytes = Array(utf8)
        var out: [UInt8] = []
        var k = 0
        while k < bytes.count {
            if bytes[k] == from[0], k + from.count <= bytes.count, bytes[k..<(k + from.count)].elementsEqual(from) {
                out += "end of file".utf8
                k += from.count
            } else {
                out.append(bytes[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
