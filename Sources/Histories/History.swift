/// A whole history: operations in real-time (line) order, with where they came from.
public struct History: Sendable {
    /// The operations, `operations[i].index == i`.
    public var operations: [Op]
    /// The file it was read from, if any, for messages.
    public var source: String?
    /// The format it was read in.
    public var format: HistoryFormat

    public init(operations: [Op], source: String? = nil, format: HistoryFormat = .jsonl) {
        self.operations = operations
        self.source = source
        self.format = format
    }

    /// The distinct keys, in order of first appearance (`nil` for unkeyed operations).
    public var keys: [String?] {
        var seen = Set<String?>()
        var out: [String?] = []
        for op in operations where op.process != .nemesis && seen.insert(op.key).inserted {
            out.append(op.key)
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
    /// Porcupine's etcd test data: Jepsen console log lines (`INFO  jepsen.util - 3 :invoke :cas [4 4]`).
    case porcupineLog = "porcupine-log"
    /// Porcupine's kv test data: one EDN map per line.
    case porcupineKV = "porcupine-kv"
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
