import Basics
import Histories

/// Builds histories in tests, one invocation or completion at a time, with dense indices.
public struct HistoryBuilder: Sendable {
    public private(set) var operations: [Op] = []

    public init() {}

    private mutating func add(_ p: Int, _ type: OpType, _ f: String, _ v: JSONValue, _ key: String?) {
        operations.append(Op(
            index: operations.count, time: Int64(operations.count) * 1_000_000, process: .client(p),
            type: type, f: f, key: key, value: v))
    }

    public mutating func invoke(_ p: Int, _ f: String, _ v: JSONValue = .null, key: String? = nil) {
        add(p, .invoke, f, v, key)
    }

    public mutating func ok(_ p: Int, _ f: String, _ v: JSONValue = .null, key: String? = nil) {
        add(p, .ok, f, v, key)
    }

    public mutating func fail(_ p: Int, _ f: String, _ v: JSONValue = .null, key: String? = nil) {
        add(p, .fail, f, v, key)
    }

    public mutating func info(_ p: Int, _ f: String, _ v: JSONValue = .null, key: String? = nil) {
        add(p, .info, f, v, key)
    }

    /// A nemesis event, which checkers skip.
    public mutating func nemesis(_ f: String, _ v: JSONValue = .null) {
        operations.append(Op(index: operations.count, process: .nemesis, type: .info, f: f, value: v))
    }

    /// The history built so far.
    public var history: History { History(operations: operations) }
}
