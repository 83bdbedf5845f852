/// A whole history: operations in real-time (line) order, with where they came from.
public struct History: Sendable {
    /// The operations, `operations[i].index == i`, stored compactly.
    public var operations: OpLog
    /// The file it was read from, if any, for messages.
    public var source: String?
    /// The format it was read in.
    public var format: HistoryFormat
    /// What the reader noticed without refusing the history (print them on stderr).
    public var warnings: [HistoryWarning]

    public init(operations: OpLog, source: String? = nil, format: HistoryFormat = .jsonl, warnings: [HistoryWarning] = []) {
        self.operations = operations
        self.source = source
        self.format = format
        self.warnings = warnings
    }

    /// A history of the operations in an array.
    public init(operations: [Op], source: String? = nil, format: HistoryFormat = .jsonl, warnings: [HistoryWarning] = []) {
        self.operations = OpLog(operations)
        self.source = source
        self.format = format
        self.warnings = warnings
    }

    /// The distinct keys, in order of first appearance (`nil` for unkeyed operations).
    public var keys: [String?] {
        var seen = Set<Int32>()
        var out: [String?] = []
        for i in operations.indices where operations.process(at: i) != .nemesis {
            let id = operations.keyID(i)
            if seen.insert(id).inserted { out.append(operations.keyName(id)) }
        }
        return out
    }
}

/// The on-disk formats Schism reads.
public enum HistoryFormat: String, Sendable, CaseIterable {
    /// Schism's native JSON Lines (one operation per line).
    case jsonl
    /// Jepsen/Knossos EDN: a vector of op maps, possibly spread over many lines.
    case edn
    /// Jepsen's console log (`INFO  jepsen.util - 3 :invoke :cas [4 4]`, Porcupine's etcd test
    /// data) or Jepsen's `history.txt` (the same lines without the logger's prefix).
    case porcupineLog = "porcupine-log"
    /// Porcupine's kv test data: one EDN map per line.
    case porcupineKV = "porcupine-kv"
    /// One JSON array of operation objects, as elle-cli and other tools write them.
    case json
}

/// Something a reader noticed that does not stop the history from being read, with its place.
///
/// Each is a documented reading of an input that could have meant something else, such as a
/// named process that is not checked or a last line that may have been cut off.
public struct HistoryWarning: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, 0 if the warning is about the whole file.
    public var line: Int
    public var message: String

    /// `file:line: warning: message`, as compilers print it.
    public var description: String {
        line > 0 ? "\(file):\(line): warning: \(message)" : "\(file): warning: \(message)"
    }
}

/// A history that cannot be read, with the place and what was expected there.
public struct HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, 0 if the error is not about a place in the file.
    public var line: Int
    /// 1-based column, 0 if unknown.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, as compilers print it.
    public var description: String {
        var place = file
        if line > 0 { place += ":\(line)" }
        if column > 0 { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
