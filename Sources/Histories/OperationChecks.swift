import Basics

/// What every reader checks about each operation as it is read, while it still knows the line.
///
/// - A client's completion must have its invocation's `f` and `key`.
/// - For the functions whose completion repeats the invocation's value (`write`, `cas`, `put`,
///   `append`, `add`), a completion's value must be the invocation's, or null: the checkers
///   use the invocation's value, so a different one would otherwise be silently ignored.
/// - A named process other than `nemesis` is read but is not a client, so its operations are
///   not checked: its first operation gets a warning.
///
/// A completion with no invocation in flight, or a second invocation, is left to the checkers.
struct OperationChecks {
    /// A client's invocation that has not completed yet.
    private struct Invocation {
        var line: Int
        var f: String
        var key: String?
        /// The value, kept only when the function's completion must repeat it.
        var value: JSONValue
        var echoes: Bool
    }

    /// Process numbers below this are looked up in an array rather than a dictionary.
    private static let denseProcesses = 4096
    private var dense: [Invocation?] = []
    private var sparse: [Int: Invocation] = [:]
    private var namedSeen: Set<String> = []
    private let input: ByteSource

    init(_ input: ByteSource) {
        self.input = input
    }

    /// Whether a completion of `f` repeats its invocation's value.
    @inline(__always)
    static func echoes(_ f: String) -> Bool {
        switch f {
        case "write", "cas", "put", "append", "add": return true
        default: return false
        }
    }

    /// Checks `op`, read from `line`; throws a `HistoryError` naming the line.
    @inline(__always)
    mutating func check(_ op: Op, line: Int) throws(HistoryError) {
        switch op.process {
        case .client(let p):
            if op.type == .invoke {
                let echoes = OperationChecks.echoes(op.f)
                store(Invocation(line: line, f: op.f, key: op.key, value: echoes ? op.value : .null, echoes: echoes), for: p)
            } else if let invocation = take(p) {
                try compare(op, line: line, with: invocation, process: p)
            }
        case .named(let name):
            if name != "nemesis" && namedSeen.insert(name).inserted {
                input.warn(
                    line: line,
                    "process \(JSONValue.string(name).jsonText) is a name, not a number: its operations are read but not checked (only integer processes are clients; named ones, such as \"nemesis\", are not)")
            }
        }
    }

    @inline(__always)
    private mutating func store(_ invocation: Invocation, for p: Int) {
        if p >= 0 && p < OperationChecks.denseProcesses {
            if p >= dense.count { dense.append(contentsOf: repeatElement(nil, count: p - dense.count + 1)) }
            dense[p] = invocation
        } else {
            sparse[p] = invocation
        }
    }

    @inline(__always)
    private mutating func take(_ p: Int) -> Invocation? {
        if p >= 0 && p < OperationChecks.denseProcesses {
            guard p < dense.count, let found = dense[p] else { return nil }
            dense[p] = nil
            return found
        }
        return sparse.removeValue(forKey: p)
    }

    /// Throws if the completion `op` contradicts its invocation.
    private func compare(_ op: Op, line: Int, with invocation: Invocation, process p: Int) throws(HistoryError) {
        let at = "its invocation at line \(invocation.line)"
        if op.f != invocation.f {
            throw HistoryError(
                file: input.name, line: line, column: 0,
                message: "process \(p) completes \(op.f) (\(op.type.rawValue)), but \(at) is \(invocation.f); a completion has its invocation's f")
        }
        if op.key != invocation.key {
            throw HistoryError(
                file: input.name, line: line, column: 0,
                message: "process \(p) completes \(op.f) with key \(Self.text(op.key)), but \(at) has key \(Self.text(invocation.key)); a completion has its invocation's key")
        }
        if invocation.echoes && !op.value.isNull && op.value != invocation.value {
            throw HistoryError(
                file: input.name, line: line, column: 0,
                message: "process \(p) completes \(op.f) (\(op.type.rawValue)) with value \(op.value.jsonText), but \(at) has \(invocation.value.jsonText); the completion of a \(op.f) repeats its invocation's value (or has none)")
        }
    }

    /// A key for messages: `"k"` or `none`.
    private static func text(_ key: String?) -> String {
        key.map { JSONValue.string($0).jsonText } ?? "none"
    }
}
