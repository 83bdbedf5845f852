import Basics
import Histories

/// Several named registers updated by transactions of reads and writes (`txn`).
///
/// The value is a list of micro-operations `["read", k, v]` / `["write", k, v]`; the
/// invocation carries reads as `null` and the completion carries the values read.
/// `--initial` is an object of register to value; a register not named starts as `null`.
public struct MultiRegisterModel: Model {
    public let name = "multi-register"
    public var functions: [String] { ["txn"] }

    public init() {}

    /// One micro-operation of a transaction.
    public struct Micro: Sendable, Hashable {
        public var isWrite: Bool
        public var key: String
        /// The value written, or read (nil: unknown).
        public var value: JSONValue?
    }

    public func initialState(_ initial: JSONValue?) throws(ModelError) -> [String: JSONValue] {
        switch initial {
        case nil, .null?: return [:]
        case .object(let o)?: return o
        case let other?: throw ModelError("multi-register takes an object of register to value as its initial value, got \(other.jsonText)")
        }
    }

    public func call(f: String, key: String?, input: JSONValue, output: JSONValue?) throws(ModelError) -> [Micro] {
        guard f == "txn" else { throw ModelError("the multi-register model has no operation \"\(f)\"; it knows txn") }
        guard let micros = (output ?? input).arrayValue else {
            throw ModelError("txn takes a list of [\"read\"|\"write\", key, value], got \((output ?? input).jsonText)")
        }
        var out: [Micro] = []
        for m in micros {
            guard let parts = m.arrayValue, parts.count == 3, let kind = parts[0].stringValue,
                  kind == "read" || kind == "write"
            else { throw ModelError("a txn micro-operation is [\"read\"|\"write\", key, value], got \(m.jsonText)") }
            let key = parts[1].stringValue ?? parts[1].jsonText
            let isWrite = kind == "write"
            out.append(Micro(isWrite: isWrite, key: key, value: isWrite || output != nil ? parts[2] : nil))
        }
        return out
    }

    public func step(_ state: [String: JSONValue], _ call: [Micro]) -> [String: JSONValue]? {
        var s = state
        for m in call {
            if m.isWrite {
                s[m.key] = m.value ?? .null
            } else if let v = m.value, v != (s[m.key] ?? .null) {
                return nil
            }
        }
        return s
    }

    public func isReadOnly(_ call: [Micro]) -> Bool { !call.contains(where: \.isWrite) }

    public func describe(_ state: [String: JSONValue]) -> String {
        "{" + state.keys.sorted().map { "\($0)=\(show(state[$0]))" }.joined(separator: ", ") + "}"
    }

    public func describe(_ call: [Micro]) -> String {
        "txn [" + call.map { "\($0.isWrite ? "w" : "r") \($0.key) \(show($0.value))" }.joined(separator: ", ") + "]"
    }

    public func whyNot(_ call: [Micro], in state: [String: JSONValue]) -> String {
        var s = state
        for m in call {
            if m.isWrite { s[m.key] = m.value ?? .null; continue }
            if let v = m.value, v != (s[m.key] ?? .null) {
                return "it read \(show(v)) from \(m.key) but \(m.key) held \(show(s[m.key] ?? .null))"
            }
        }
        return "\(describe(call)) is not possible in \(describe(state))"
    }
}
