/// Streams the operations of a Jepsen console log, as in Porcupine's etcd test data.
///
/// An operation line is `<prefix>jepsen.util - <process>\t<type>\t<f>\t<value>[\t<error>]`
/// (or `jepsen.util: ...`, logback's layout), where the prefix (level, timestamp, thread name)
/// is ignored. Lines of other loggers (with a level word such as `INFO`) and blank lines are
/// skipped; any other line is an error, so a damaged file is not silently shortened.
struct JepsenLogReader {
    let input: ByteSource

    /// The log levels that start a log line's header.
    static let levels = ["TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL"]

    init(_ input: ByteSource) {
        self.input = input
    }

    /// Calls `body` with every operation in order.
    func read(_ body: (Op) throws -> Void) throws {
        var position = 0
        try input.forEachLine { start, length, lineNumber in
            let line = Array(UnsafeBufferPointer(start: start, count: length))
            let parsed: Op?
            do throws(ScanFailure) {
                parsed = try JepsenLogReader.operation(line, position: position)
            } catch {
                let column = ByteSource.column(start, length: min(error.offset, length))
                throw HistoryError(file: input.name, line: lineNumber, column: column, message: error.message)
            }
            if let op = parsed {
                position += 1
                try body(op)
            }
        }
    }

    /// The operation on `line`, nil for a blank line or another logger's line.
    static func operation(_ line: [UInt8], position: Int) throws(ScanFailure) -> Op? {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
        guard let messageStart = opMessageStart(line) else {
            if isLogLine(line) { return nil }
            throw ScanFailure(offset: 0, message: "expected a Jepsen log line such as 'INFO  jepsen.util - 3<TAB>:invoke<TAB>:read<TAB>nil'")
        }
        // Split the message into tab-separated columns, remembering where each starts.
        var columns: [(start: Int, end: Int)] = []
        var s = messageStart
        for k in messageStart...line.count where k == line.count || line[k] == 0x09 {
            columns.append((s, k))
            s = k + 1
        }
        guard columns.count >= 4 else {
            throw ScanFailure(offset: messageStart, message: "expected an operation '<process><TAB><type><TAB><f><TAB><value>' after 'jepsen.util - ', found \(columns.count) column(s)")
        }
        func text(_ c: (start: Int, end: Int)) -> String {
            String(decoding: line[c.start..<c.end], as: UTF8.self).trimming(" ")
        }
        let processText = text(columns[0])
        let process: ProcessID
        if let n = Int(processText) {
            process = .client(n)
        } else if processText.hasPrefix(":"), processText.count > 1 {
            process = .named(String(processText.dropFirst()))
        } else {
            throw ScanFailure(offset: columns[0].start, message: "expected a process number or keyword such as :nemesis, found '\(processText)'")
        }
        let typeText = text(columns[1])
        guard typeText.hasPrefix(":"), let type = OpType(rawValue: String(typeText.dropFirst())) else {
            throw ScanFailure(offset: columns[1].start, message: "unknown type '\(typeText)'; expected :invoke, :ok, :fail or :info")
        }
        let f = try edn(line, columns[2]).plainText
        let valueColumn = (start: columns[3].start, end: columns.count > 4 ? columns[columns.count - 1].end : columns[3].end)
        var op = Op(index: position, process: process, type: type, f: f)
        if columns.count > 4 {
            // A fifth column is the error; the value is the fourth.
            op.value = try edn(line, columns[3]).json
            let errorColumn = (start: columns[4].start, end: valueColumn.end)
            op.error = (try? edn(line, errorColumn).plainText) ?? text(errorColumn)
        } else {
            let value = try edn(line, columns[3])
            if type == .info, case .keyword("timed-out") = value {
                op.error = "timed-out"
            } else {
                op.value = value.json
            }
        }
        return op
    }

    /// Where the message of a `jepsen.util` line starts, after `jepsen.util - ` (old layout) or
    /// `jepsen.util: ` (logback's); nil if the line has no such logger.
    static func opMessageStart(_ line: [UInt8]) -> Int? {
        let logger = Array("jepsen.util".utf8)
        let n = line.count
        var k = 0
        while k + logger.count + 2 <= n {
            let boundary = k == 0 || line[k - 1] == 0x20 || line[k - 1] == 0x09 || line[k - 1] == UInt8(ascii: "]")
            if boundary && line[k..<(k + logger.count)].elementsEqual(logger) {
                let j = k + logger.count
                if j + 3 <= n, line[j] == 0x20, line[j + 1] == UInt8(ascii: "-"), line[j + 2] == 0x20 { return j + 3 }
                if line[j] == UInt8(ascii: ":"), line[j + 1] == 0x20 || line[j + 1] == 0x09 { return j + 2 }
            }
            k += 1
        }
        return nil
    }

    /// Whether the line has a log level (`INFO`, `WARN`, ...) as a word: another logger's line.
    static func isLogLine(_ line: [UInt8]) -> Bool {
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

    /// Parses one column as a single EDN value.
    private static func edn(_ line: [UInt8], _ c: (start: Int, end: Int)) throws(ScanFailure) -> EDNValue {
        do throws(EDNFailure) {
            return try line.withUnsafeBufferPointer { (b) throws(EDNFailure) -> EDNValue in
                guard let base = b.baseAddress else { throw EDNFailure.syntax(offset: 0, message: "empty column", opened: nil) }
                var parser = EDNParser(base + c.start, count: c.end - c.start, atEOF: true, from: 0)
                try parser.skipAtmosphere()
                let value = try parser.parseValue()
                try parser.skipAtmosphere()
                if parser.i < parser.count {
                    throw parser.fail("unexpected \(parser.found) after the value; expected a tab or the end of the line")
                }
                return value
            }
        } catch .syntax(let offset, let message, _) {
            throw ScanFailure(offset: c.start + offset, message: message)
        } catch {
            throw ScanFailure(offset: c.start, message: "incomplete value")
        }
    }
}

extension String {
    /// The string without leading and trailing `character`s.
    func trimming(_ character: Character) -> String {
        String(drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}
