import Basics

/// Who performed an operation: a client process number, or a named actor such as `nemesis`.
public enum ProcessID: Hashable, Sendable, Comparable {
    case client(Int)
    case named(String)

    /// The nemesis, which records faults in the history.
    public static let nemesis = ProcessID.named("nemesis")

    /// The JSON form: an integer for clients, a string otherwise.
    public var json: JSONValue {
        switch self {
        case .client(let p): return .int(Int64(p))
        case .named(let n): return .string(n)
        }
    }
}

extension ProcessID: CustomStringConvertible {
    /// The process number, or the actor's name.
    public var description: String {
        switch self {
        case .client(let p): return String(p)
        case .named(let n): return n
        }
    }
}

/// The kind of a history event: an invocation or one of its three completions.
public enum OpType: String, Hashable, Sendable, CaseIterable {
    /// The operation was sent.
    case invoke
    /// It took effect.
    case ok
    /// It certainly did not take effect.
    case fail
    /// Unknown: it may take effect at any time after its invocation, or never.
    case info
}

/// One line of a history: an invocation or a completion.
///
/// See `docs/history-format.md`. Line order is real-time order; `time` is informational.
public struct Op: Hashable, Sendable {
    /// Dense, 0-based position in the history.
    public var index: Int
    /// Nanoseconds since the test started, if recorded.
    public var time: Int64?
    public var process: ProcessID
    public var type: OpType
    /// The function: `read`, `write`, `cas`, `get`, `put`, `append`, `txn`, ...
    public var f: String
    /// The key, for per-key (independent) workloads.
    public var key: String?
    public var value: JSONValue
    public var error: String?
    public var node: String?
    /// Fields this version does not know, kept so that nothing is lost on a round trip.
    public var extra: [String: JSONValue]

    public init(
        index: Int, time: Int64? = nil, process: ProcessID, type: OpType, f: String,
        key: String? = nil, value: JSONValue = .null, error: String? = nil,
        node: String? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.index = index
        self.time = time
        self.process = process
        self.type = type
        self.f = f
        self.key = key
        self.value = value
        self.error = error
        self.node = node
        self.extra = extra
    }

    /// The operation as one line of the native JSON Lines format (without the newline).
    public var jsonLine: String {
        var out = "{\"index\":\(index)"
        if let time { out += ",\"time\":\(time)" }
        out += ",\"process\":"
        process.json.write(to: &out)
        out += ",\"type\":\"\(type.rawValue)\",\"f\":"
        JSONValue.writeString(f, to: &out)
        if let key {
            out += ",\"key\":"
            JSONValue.writeString(key, to: &out)
        }
        out += ",\"value\":"
        value.write(to: &out)
        if let error {
            out += ",\"error\":"
            JSONValue.writeString(error, to: &out)
        }
        if let node {
            out += ",\"node\":"
            JSONValue.writeString(node, to: &out)
        }
        for k in extra.keys.sorted() {
            out += ","
            JSONValue.writeString(k, to: &out)
            out += ":"
            extra[k, default: .null].write(to: &out)
        }
        out += "}"
        return out
    }
}
