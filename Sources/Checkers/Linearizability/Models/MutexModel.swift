import Basics
import Histories

/// A lock with `acquire` and `release`; it starts unlocked.
public struct MutexModel: Model {
    public let name = "mutex"
    public var functions: [String] { ["acquire", "release"] }

    public init() {}

    /// A mutex operation.
    public enum Call: Sendable, Hashable {
        case acquire
        case release
    }

    public func initialState(_ initial: JSONValue?) throws(ModelError) -> Bool {
        switch initial {
        case nil, .null?, .bool(false)?: return false
        case .bool(true)?: return true
        case let other?: throw ModelError("mutex takes true (locked) or false as its initial value, got \(other.jsonText)")
        }
    }

    public func call(f: String, key: String?, input: JSONValue, output: JSONValue?) throws(ModelError) -> Call {
        switch f {
        case "acquire": return .acquire
        case "release": return .release
        default: throw ModelError("the mutex model has no operation \"\(f)\"; it knows acquire, release")
        }
    }

    public func step(_ locked: Bool, _ call: Call) -> Bool? {
        switch call {
        case .acquire: return locked ? nil : true
        case .release: return locked ? false : nil
        }
    }

    public func isReadOnly(_ call: Call) -> Bool { false }

    public func describe(_ locked: Bool) -> String { locked ? "locked" : "unlocked" }

    public func describe(_ call: Call) -> String { call == .acquire ? "acquire" : "release" }

    public func whyNot(_ call: Call, in locked: Bool) -> String {
        call == .acquire ? "the lock was already held" : "the lock was not held"
    }
}
