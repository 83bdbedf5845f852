/// Reads histories in every format Schism knows, streaming them from disk in chunks.
///
/// Indices are always dense and 0-based by position: EDN and log inputs are numbered as
/// they are read (an EDN `:index` is ignored), and a JSONL `index` that differs from the
/// line's position is an error. See `docs/history-format.md`.
public enum HistoryReader {
    /// How many bytes are read from a file at a time.
    public static let chunkSizeBytes = 4 << 20

    /// Reads the whole history at `path`, detecting the format when `format` is nil.
    public static func read(path: String, format: HistoryFormat? = nil) throws(HistoryError) -> History {
        let input = try ByteSource(path: path, chunkSize: chunkSizeBytes)
        return try collect(input, format: format)
    }

    /// Reads a whole history from text in memory; `source` names it in messages.
    public static func read(text: String, source: String = "<text>", format: HistoryFormat? = nil) throws(HistoryError) -> History {
        try collect(ByteSource(bytes: Array(text.utf8), name: source), format: format)
    }

    /// Reads a whole history from bytes in memory; `source` names it in messages.
    public static func read(bytes: some Collection<UInt8>, source: String = "<bytes>", format: HistoryFormat? = nil) throws(HistoryError) -> History {
        try collect(ByteSource(bytes: bytes, name: source), format: format)
    }

    /// What streaming a history found besides its operations.
    public struct Outcome: Sendable {
        /// The format that was read.
        public var format: HistoryFormat
        /// What the reader noticed without refusing the history (print them on stderr).
        public var warnings: [HistoryWarning]
    }

    /// Calls `body` with each operation of the history at `path`, in order, without keeping them.
    ///
    /// Reading errors are thrown as `HistoryError`; an error thrown by `body` stops the
    /// reading and is rethrown unchanged. Returns the format that was read and the warnings.
    @discardableResult
    public static func forEach(path: String, format: HistoryFormat? = nil, _ body: (Op) throws -> Void) throws -> Outcome {
        let input = try ByteSource(path: path, chunkSize: chunkSizeBytes)
        let used = try stream(input, format: format, body)
        return Outcome(format: used, warnings: input.allWarnings)
    }

    /// Calls `body` with each operation of a history in memory, in order.
    @discardableResult
    public static func forEach(bytes: some Collection<UInt8>, source: String = "<bytes>", format: HistoryFormat? = nil, _ body: (Op) throws -> Void) throws -> Outcome {
        let input = ByteSource(bytes: bytes, name: source)
        let used = try stream(input, format: format, body)
        return Outcome(format: used, warnings: input.allWarnings)
    }

    /// Whether `path` is a regular file (after following links): not a folder, FIFO or device.
    ///
    /// A folder given to `schism check` is expanded to its regular files only, so that a FIFO
    /// or a device inside it is never opened.
    public static func isRegularFile(path: String) -> Bool {
        ByteSource.isRegularFile(path)
    }

    /// Reads everything from `input` into a `History`.
    static func collect(_ input: ByteSource, format: HistoryFormat?) throws(HistoryError) -> History {
        var operations = OpLog()
        do {
            let used = try stream(input, format: format) { op in
                // Positions are kept in 32 bits by the checker; a longer history could not be checked in memory anyway.
                guard operations.count < Int(Int32.max) else {
                    throw HistoryError(file: input.name, line: 0, column: 0, message: "more than \(Int32.max) operations; split the history by key")
                }
                operations.append(op)
            }
            return History(operations: operations, source: input.name, format: used, warnings: input.allWarnings)
        } catch let error as HistoryError {
            throw error
        } catch {
            throw HistoryError(file: input.name, line: 0, column: 0, message: "\(error)")
        }
    }

    /// Detects the format if needed, then hands every operation of `input` to `body`.
    static func stream(_ input: ByteSource, format: HistoryFormat?, _ body: (Op) throws -> Void) throws -> HistoryFormat {
        let used: HistoryFormat
        if let format {
            used = format
        } else {
            try input.fill(atLeast: FormatDetector.prefixBytes)
            guard let detected = FormatDetector.detect(input.buffer) else {
                throw HistoryError(
                    file: input.name, line: 1, column: 1,
                    message: "cannot tell the history format from the first bytes; expected '{\"' (JSON Lines), '[{\"' (a JSON array), '[', '(' or '{:' (EDN), or Jepsen log lines ('INFO  jepsen.util - ...' or history.txt's '3<TAB>:invoke<TAB>...'); name the format explicitly")
            }
            used = detected
        }
        switch used {
        case .jsonl: try readJSONL(input, body)
        case .edn, .porcupineKV: try EDNHistoryReader(input).read(body)
        case .porcupineLog: try JepsenLogReader(input).read(body)
        case .json:
            var reader = JSONArrayReader(input)
            try reader.read(body)
        }
        return used
    }

    /// Streams JSON Lines: one operation per non-blank line, decoded a batch ahead on another thread.
    private static func readJSONL(_ input: ByteSource, _ body: (Op) throws -> Void) throws {
        var checks = OperationChecks(input)
        var batches = LineBatchDecoder(file: input.name) { line, length, position throws(ScanFailure) in
            try JSONLDecoder.decode(line, count: length, position: position)
        }
        func handOn(_ op: Op, line: Int) throws {
            try checks.check(op, line: line)
            try body(op)
        }
        try input.forEachLine { line, length, lineNumber in
            if ByteSource.isBlank(line, length: length) { return }
            try batches.add(line, length: length, lineNumber: lineNumber, handOn)
        }
        try batches.finish(handOn)
    }

    /// Guesses the format of the file at `path` from its first bytes; nil if it cannot tell.
    public static func detectFormat(path: String) throws(HistoryError) -> HistoryFormat? {
        let input = try ByteSource(path: path, chunkSize: FormatDetector.prefixBytes)
        try input.fill(atLeast: FormatDetector.prefixBytes)
        return withExtendedLifetime(input) { FormatDetector.detect(input.buffer) }
    }

    /// Guesses the format of a history in memory from its first bytes; nil if it cannot tell.
    public static func detectFormat(bytes: some Collection<UInt8>) -> HistoryFormat? {
        let input = ByteSource(bytes: bytes.prefix(FormatDetector.prefixBytes), name: "")
        return withExtendedLifetime(input) { FormatDetector.detect(input.buffer) }
    }
}
