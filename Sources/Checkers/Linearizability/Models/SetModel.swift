import Basics
import Histories

/// A grow-only set with `add v` and `read` (which completes with every element).
public struct SetModel: Model {
    public let name = "set"
    public var functions: [String] { ["add", "read"] }

    public init() {}

    /// A set operation.
    public enum Call: Sendable, Hashable {
        case add(JSONValue)
        /// A read that saw these elements, or whose result is unknown (nil).
        case read(Set<JSONValue>?)
    }

    public func initialState(_ initial: JSONValue?) throws(ModelError) -> Set<JSONValue> {
        switch initial {
        case nil, .null?: return []
        case .array(let a)?: return Set(a)
        case let other?: throw ModelError("set takes an array as its initial value, got \(other.jsonText)")
        }
    }

    public func call(f: String, key: String?, input: JSONValue, output: JSONValue?) throws(ModelError) -> Call {
        switch f {
        case "add": return .add(input)
        case "read":
            guard let output else { return .read(nil) }
            guard let elements = output.arrayValue else {
                throw ModelError("set read completes with an array, got \(output.jsonText)")
            }
            return .read(Set(elements))
        default: throw ModelError("the set model has no operation \"\(f)\"; it knows add, read")
        }
    }

    public func step(_ state: Set<JSONValue>, _ call: Call) -> Set<JSONValue>? {
        switch call {
        case .add(let v): return state.union([v])
        case .read(let seen):
            guard let seen else { return state }
            return seen == state ? state : nil
        }
    }

    public func isReadOnly(_ call: Call) -> Bool {
        if case .read = call { return true }
        return false
    }

    public func describe(_ state: Set<JSONValue>) -> String {
        "#{" + state.map(\.jsonText).sorted().joined(separator: " ") + "}"
    }

    public func describe(_ call: Call) -> String {
        switch call {
        case .add(let v): return "add \(show(v))"
        case .read(let s): return "read \(s.map { describe($0) } ?? "unknown")"
        }
    }

    public func whyNot(_ call: Call, in state: Set<JSONValue>) -> String {
        guard case .read(let seen?) = call else { return "an add is always possible" }
        let missing = state.subtracting(seen).map(\.jsonText).sorted()
        let extra = seen.subtracting(state).map(\.jsonText).sorted()
        var parts: [String] = []
        if !missing.isEmpty { parts.append("it missed \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { parts.append("it saw \(extra.joined(separator: ", ")) which had not been added") }
        return parts.joined(separator: " and ")
    }
}
