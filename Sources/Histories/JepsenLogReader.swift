import Glibc

/// Streams the operations of a Jepsen console log, or of Jepsen's `history.txt`.
///
/// An operation line is `<prefix>jepsen.util<sep><process> <type> <f> <value>[ <error>]`, where
/// the prefix (level, timestamp, thread) is ignored, `<sep>` is ` - `, `: ` or a space (the
/// layouts Jepsen's loggers have used), and the fields are separated by tabs (as Jepsen prints
/// them) or runs of spaces (as a terminal copies them). `history.txt` has the same fields with
/// no prefix. Every other line (other loggers, Knossos's analysis, stack traces, blank lines) is
/// skipped; but a line that looks like an operation (`jepsen.util` and a process followed by a
/// keyword, or a process and a type with no prefix) and is malformed is an error, and so is a
/// last line cut off before its newline unless it is a whole operation (then it is a warning).
struct JepsenLogReader {
    let input: ByteSource

    /// The logger of operation lines.
    private static let loggerName: StaticString = "jepsen.util"

    /// The log levels that start a log line's header (used to recognise a log by its first line).
    static let levels = ["TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL"]

    init(_ input: ByteSource) {
        self.input = input
    }

    /// Calls `body` with every operation in order. Lines are parsed a batch ahead on another
    /// thread (`LineBatchDecoder`); the pairing checks run here, in order.
    func read(_ body: (Op) throws -> Void) throws {
        var position = 0
        var checks = OperationChecks(input)
        var lastOperationLine = 0
        var lastLineBlank = true
        var batches = LineBatchDecoder(file: input.name) { line, length, _ throws(ScanFailure) in
            try JepsenLogReader.operation(UnsafeBufferPointer(start: line, count: length))
        }
        // Operations are numbered here, in order: a batch numbers lines, not operations.
        func handOn(_ parsed: Op, line: Int) throws {
            var op = parsed
            op.index = position
            position += 1
            lastOperationLine = line
            try checks.check(op, line: line)
            try body(op)
        }
        try input.forEachLine { start, length, lineNumber in
            lastLineBlank = ByteSource.isBlank(start, length: length)
            if !lastLineBlank { try batches.add(start, length: length, lineNumber: lineNumber, handOn) }
        }
        try batches.finish(handOn)
        guard let last = input.unterminatedLastLine, !lastLineBlank else { return }
        if last == lastOperationLine {
            input.warn(
                line: last,
                "the file ends without a newline after this operation: if the log was cut off here, its value may be cut too (12 read as 1, say)")
        } else {
            throw HistoryError(
                file: input.name, line: last, column: 0,
                message: "the log ends inside a line (no newline at the end of the file) that is not an operation: it looks cut off, and an operation may be lost; if the line is complete, end it with a newline")
        }
    }

    /// The operation on `line` (index 0: the reader numbers operations), nil for a line that is not an operation.
    static func operation(_ line: UnsafeBufferPointer<UInt8>) throws(ScanFailure) -> Op? {
        let n = line.count
        let hasLogger: Bool
        var k: Int
        if let start = opMessageStart(line) {
            hasLogger = true
            k = start
        } else {
            hasLogger = false
            k = 0
        }
        k = skipBlanks(line, from: k)
        // The process and the type: two tokens separated by blanks.
        let processStart = k
        k = tokenEnd(line, from: k)
        let processEnd = k
        let separatorIsTab = k < n && line[k] == 0x09
        k = skipBlanks(line, from: k)
        let typeStart = k
        k = tokenEnd(line, from: k)
        // The usual line (a client number, a known type) is read from the bytes; text is made
        // only for the rest, and for messages.
        let number = digits(line, processStart, processEnd)
        let type = opType(line, typeStart, k)
        let processText = number == nil ? text(line, processStart, processEnd) : ""
        let typeText = type == nil ? text(line, typeStart, k) : ""
        let processLike = number != nil || isProcess(processText)
        if hasLogger {
            // `jepsen.util` logs other messages too ("Relative time begins now"): an operation
            // line has a process followed by a keyword, or a type; or is cut off after the process.
            let cutAfterProcess = processLike && typeStart == n
            guard type != nil || (processLike && typeText.hasPrefix(":")) || cutAfterProcess else { return nil }
        } else {
            guard type != nil && processLike else { return nil }
        }
        let process: ProcessID
        if let number = number ?? Int(processText) {
            process = .client(number)
        } else if processText.hasPrefix(":"), processText.count > 1 {
            process = .named(String(processText.dropFirst()))
        } else {
            throw ScanFailure(offset: processStart, message: "expected a process number or keyword such as :nemesis, found '\(processText)'")
        }
        guard typeStart < n else {
            throw ScanFailure(offset: n, message: "expected the type (:invoke, :ok, :fail or :info) after the process, found end of line (is the line cut off?)")
        }
        guard let type else {
            throw ScanFailure(offset: typeStart, message: "unknown type '\(typeText)'; expected :invoke, :ok, :fail or :info")
        }
        guard let base = line.baseAddress else { return nil }
        var parser = EDNParser(base, count: n, atEOF: true, from: k)
        let f = try value(&parser, after: "the type :\(type.rawValue)").plainText
        let value = try value(&parser, after: "the function :\(f)")
        // The value ends at a tab or the end of the line when fields are tab-separated; otherwise at a blank.
        let valueEnd = parser.i
        var rest = valueEnd
        if separatorIsTab {
            while rest < n && line[rest] == 0x20 { rest += 1 }
            if rest < n && line[rest] != 0x09 {
                throw ScanFailure(offset: rest, message: "unexpected '\(text(line, rest, tokenEnd(line, from: rest)))' after the value; expected a tab or the end of the line")
            }
        } else if rest < n && line[rest] != 0x20 && line[rest] != 0x09 {
            throw ScanFailure(offset: rest, message: "unexpected '\(text(line, rest, tokenEnd(line, from: rest)))' after the value; expected a blank or the end of the line")
        }
        if let errorText = trimmed(line, rest) {
            return Op(index: 0, process: process, type: type, f: f, value: value.json, error: errorValue(errorText))
        }
        if type == .info, case .keyword("timed-out") = value {
            return Op(index: 0, process: process, type: type, f: f, error: "timed-out")
        }
        return Op(index: 0, process: process, type: type, f: f, value: value.json)
    }

    /// Parses the next EDN value of the line, after blanks; `after` names what precedes it, for messages.
    private static func value(_ parser: inout EDNParser, after: @autoclosure () -> String) throws(ScanFailure) -> EDNValue {
        do throws(EDNFailure) {
            while parser.i < parser.count && (parser.p[parser.i] == 0x20 || parser.p[parser.i] == 0x09) { parser.i += 1 }
            guard parser.i < parser.count else {
                throw parser.fail("expected a value after \(after()), found end of line (is the line cut off?)")
            }
            return try parser.parseValue()
        } catch .syntax(let offset, let message, _) {
            throw ScanFailure(offset: offset, message: message)
        } catch {
            throw ScanFailure(offset: parser.i, message: "incomplete value")
        }
    }

    /// The error column as Jepsen prints it (with `str`): a keyword's name, or the text itself.
    private static func errorValue(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let count = bytes.count
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return text }
            var parser = EDNParser(base, count: count, atEOF: true, from: 0)
            do throws(EDNFailure) {
                let value = try parser.parseValue()
                try parser.skipAtmosphere()
                return parser.i == count ? value.plainText : text
            } catch {
                return text
            }
        }
    }

    /// The text from `from` to the end of the line without surrounding blanks, nil if there is none.
    private static func trimmed(_ line: UnsafeBufferPointer<UInt8>, _ from: Int) -> String? {
        var start = from
        var end = line.count
        while start < end && (line[start] == 0x20 || line[start] == 0x09) { start += 1 }
        while end > start && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        return start < end ? text(line, start, end) : nil
    }

    /// The number spelled by `line[start..<end]` when it is 1 to 18 decimal digits, else nil.
    private static func digits(_ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard end > start, end - start <= 18 else { return nil }
        var n = 0
        for k in start..<end {
            let d = Int(line[k]) - 0x30
            guard d >= 0 && d <= 9 else { return nil }
            n = n * 10 + d
        }
        return n
    }

    /// The type spelled by `line[start..<end]` (`:invoke`, `:ok`, `:fail`, `:info`), else nil.
    private static func opType(_ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> OpType? {
        guard end - start >= 3, line[start] == UInt8(ascii: ":"), let base = line.baseAddress else { return nil }
        let word = base + start + 1
        switch end - start - 1 {
        case 2: return equals(word, "ok") ? .ok : nil
        case 4: return equals(word, "fail") ? .fail : equals(word, "info") ? .info : nil
        case 6: return equals(word, "invoke") ? .invoke : nil
        default: return nil
        }
    }

    /// Whether `text` is a process: an integer or a keyword.
    private static func isProcess(_ text: String) -> Bool {
        if Int(text) != nil { return true }
        guard text.hasPrefix(":"), text.count > 1 else { return false }
        return text.utf8.dropFirst().allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
        }
    }

    /// The offset after the blanks (spaces and tabs) from `from`.
    private static func skipBlanks(_ line: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var k = from
        while k < line.count && (line[k] == 0x20 || line[k] == 0x09) { k += 1 }
        return k
    }

    /// The offset of the first blank at or after `from`.
    private static func tokenEnd(_ line: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var k = from
        while k < line.count && line[k] != 0x20 && line[k] != 0x09 { k += 1 }
        return k
    }

    /// The text of `line[start..<end]`.
    private static func text(_ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    }

    /// Where the message of a `jepsen.util` line starts: after `jepsen.util - ` (log4j's layout),
    /// `jepsen.util: ` (Jepsen's logback layout) or `jepsen.util ` (unilog's default); nil if the
    /// line has no such logger.
    static func opMessageStart(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        let length = loggerName.utf8CodeUnitCount
        let n = line.count
        guard let base = line.baseAddress else { return nil }
        var k = 0
        while k + length < n {
            // The next 'j' (memchr is much faster than a loop over the prefix).
            guard let found = memchr(base + k, Int32(loggerName.utf8Start[0]), n - length - k) else { return nil }
            k = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            let boundary = k == 0 || line[k - 1] == 0x20 || line[k - 1] == 0x09 || line[k - 1] == UInt8(ascii: "]")
            if boundary && equals(base + k, loggerName) {
                let j = k + length
                if j + 3 <= n, line[j] == 0x20, line[j + 1] == UInt8(ascii: "-"), line[j + 2] == 0x20 { return j + 3 }
                if line[j] == UInt8(ascii: ":"), j + 1 == n || line[j + 1] == 0x20 || line[j + 1] == 0x09 { return j + 1 }
                if line[j] == 0x20 || line[j] == 0x09 { return j + 1 }
            }
            k += 1
        }
        return nil
    }

    /// Whether the line is an operation line, well-formed or not.
    static func looksLikeOperation(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        do throws(ScanFailure) {
            return try operation(line) != nil
        } catch {
            return true
        }
    }

    /// Whether the line has a log level (`INFO`, `WARN`, ...) as a word: a log line.
    static func isLogLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = line.count
        for level in levels {
            let word = Array(level.utf8)
            var k = 0
            while k + word.count <= n {
                let before = k == 0 || line[k - 1] == 0x20 || line[k - 1] == 0x09
                let end = k + word.count
                let after = end == n || line[end] == 0x20 || line[end] == 0x09
                if before && after && line[k..<end].elementsEqual(word) { return true }
                k += 1
            }
        }
        return false
    }
}
