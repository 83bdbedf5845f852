import Basics
import Histories

/// A single register with `read`, `write` and (for `cas-register`) compare-and-set.
///
/// Values are any JSON; `null` means "no value". A read completes with the value it saw
/// (`null`: no value, as Porcupine reads it). `cas` carries `[expected, new]`.
public struct RegisterModel: Model {
    public let name: String
    /// Whether `cas` is allowed (`cas-register`) or rejected as unknown (`register`).
    public let allowsCAS: Bool

    public init(allowsCAS: Bool) {
        self.allowsCAS = allowsCAS
        self.name = allowsCAS ? "cas-register" : "register"
    }

    /// A register operation.
    public enum Call: Sendable, Hashable {
        /// A read that saw `value`, or whose result is unknown (nil).
        case read(JSONValue?)
        case write(JSONValue)
        case cas(expected: JSONValue, new: JSONValue)
    }

    public var functions: [String] { allowsCAS ? ["read", "write", "cas"] : ["read", "write"] }

    public func initialState(_ initial: JSONValue?) throws(ModelError) -> JSONValue {
        initial ?? .null
    }

    public func call(f: String, key: String?, input: JSONValue, output: JSONValue?) throws(ModelError) -> Call {
        switch f {
        case "read": return .read(output)
        case "write": return .write(input)
        case "cas" where allowsCAS:
            guard let pair = input.arrayValue, pair.count == 2 else {
                throw ModelError("cas takes [expected, new], got \(input.jsonText)")
            }
            return .cas(expected: pair[0], new: pair[1])
        default:
            throw ModelError("the \(name) model has no operation \"\(f)\"; it knows \(functions.joined(separator: ", "))")
        }
    }

    public func step(_ state: JSONValue, _ call: Call) -> JSONValue? {
        switch call {
        case .read(let v):
            guard let v else { return state }
            return v == state ? state : nil
        case .write(let v): return v
        case .cas(let expected, let new): return expected == state ? new : nil
        }
    }

    public func isReadOnly(_ call: Call) -> Bool {
        if case .read = call { return true }
        return false
    }

    public func describe(_ state: JSONValue) -> String { show(state) }

    public func describe(_ call: Call) -> String {
        switch call {
        case .read(let v): return "read \(show(v))"
        case .write(let v): return "write \(show(v))"
        case .cas(let e, let n): return "cas \(show(e))→\(show(n))"
        }
    }

    public func whyNot(_ call: Call, in state: JSONValue) -> String {
        switch call {
        case .read(let v): return "it read \(show(v)) but the register held \(show(state))"
        case .write: return "a write is always possible"
        case .cas(let e, _): return "it expected \(show(e)) but the register held \(show(state))"
        }
    }
}
