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
    }

    /// Process numbers below this are kept in arrays indexed by process, rather than a dictionary.
    private static let denseProcesses = 4096
    /// A dense process's invocation in flight, without optionals (they cost on the hot path).
    private struct Slot {
        /// The invocation's line: 0 if none is in flight, negative if it has no key.
        var line: Int
        var f: String
        var key: String
        /// The value, kept only when the function's completion must repeat it.
        var value: JSONValue
    }

    /// Per process number below `denseProcesses`: its invocation in flight.
    private var dense: [Slot] = []
    private var sparse: [Int: Invocation] = [:]
    private var namedSeen: Set<String> = []
    private let input: ByteSource

    init(_ input: ByteSource) {
        self.input = input
    }

    /// Whether a completion of `f` repeats its invocation's value: `write`, `cas`, `put`, `append`, `add`.
    ///
    /// Compared byte by byte: a `switch` over string literals costs several slow comparisons.
    @inline(__always)
    static func echoes(_ f: String) -> Bool {
        var f = f
        return f.withUTF8 { b in
            switch b.count {
            case 3:
                return (b[0] == UInt8(ascii: "c") && b[1] == UInt8(ascii: "a") && b[2] == UInt8(ascii: "s"))
                    || (b[0] == UInt8(ascii: "p") && b[1] == UInt8(ascii: "u") && b[2] == UInt8(ascii: "t"))
                    || (b[0] == UInt8(ascii: "a") && b[1] == UInt8(ascii: "d") && b[2] == UInt8(ascii: "d"))
            case 5:
                return b[0] == UInt8(ascii: "w") && b[1] == UInt8(ascii: "r") && b[2] == UInt8(ascii: "i")
                    && b[3] == UInt8(ascii: "t") && b[4] == UInt8(ascii: "e")
            case 6:
                return b[0] == UInt8(ascii: "a") && b[1] == UInt8(ascii: "p") && b[2] == UInt8(ascii: "p")
                    && b[3] == UInt8(ascii: "e") && b[4] == UInt8(ascii: "n") && b[5] == UInt8(ascii: "d")
            default:
                return false
            }
        }
    }

    /// Checks `op`, read from `line`; throws a `HistoryError` naming the line.
    @inline(__always)
    mutating func check(_ op: Op, line: Int) throws(HistoryError) {
        switch op.process {
        case .client(let p):
            if p >= 0 && p < OperationChecks.denseProcesses {
                try checkDense(op, line: line, process: p)
            } else if op.type == .invoke {
                sparse[p] = Invocation(line: line, f: op.f, key: op.key, value: OperationChecks.echoes(op.f) ? op.value : .null)
            } else if let invocation = sparse.removeValue(forKey: p), !agrees(op, invocation.f, invocation.key, invocation.value) {
                throw disagreement(op, line: line, with: invocation, process: p)
            }
        case .named(let name):
            if name != "nemesis" && namedSeen.insert(name).inserted {
                input.warn(
                    line: line,
                    "process \(JSONValue.string(name).jsonText) is a name, not a number: its operations are read but not checked (only integer processes are clients; named ones, such as \"nemesis\", are not)")
            }
        }
    }

    /// `check` for a process number below `denseProcesses`: an array slot, no dictionary.
    @inline(__always)
    private mutating func checkDense(_ op: Op, line: Int, process p: Int) throws(HistoryError) {
        if p >= dense.count {
            dense.append(contentsOf: repeatElement(Slot(line: 0, f: "", key: "", value: .null), count: p - dense.count + 1))
        }
        if op.type == .invoke {
            dense[p] = Slot(
                line: op.key == nil ? -line : line, f: op.f, key: op.key ?? "",
                value: OperationChecks.echoes(op.f) ? op.value : .null)
            return
        }
        let stored = dense[p].line
        guard stored != 0 else { return }
        dense[p].line = 0
        let key: String? = stored > 0 ? dense[p].key : nil
        if !agrees(op, dense[p].f, key, dense[p].value) {
            let invocation = Invocation(line: abs(stored), f: dense[p].f, key: key, value: dense[p].value)
            throw disagreement(op, line: line, with: invocation, process: p)
        }
    }

    /// Whether the completion `op` agrees with its invocation's `f`, `key` and `value` (no text is built).
    @inline(__always)
    private func agrees(_ op: Op, _ f: String, _ key: String?, _ value: JSONValue) -> Bool {
        guard op.f == f else { return false }
        if let opKey = op.key {
            guard let key, opKey == key else { return false }
        } else if key != nil {
            return false
        }
        return op.value.isNull || !OperationChecks.echoes(f) || op.value == value
    }

    /// The error for a completion `op` that does not agree with its invocation.
    private func disagreement(_ op: Op, line: Int, with invocation: Invocation, process p: Int) -> HistoryError {
        let at = "its invocation at line \(invocation.line)"
        let message: String
        if op.f != invocation.f {
            message = "process \(p) completes \(op.f) (\(op.type.rawValue)), but \(at) is \(invocation.f); a completion has its invocation's f"
        } else if op.key != invocation.key {
            message = "process \(p) completes \(op.f) with key \(Self.text(op.key)), but \(at) has key \(Self.text(invocation.key)); a completion has its invocation's key"
        } else {
            message = "process \(p) completes \(op.f) (\(op.type.rawValue)) with value \(op.value.jsonText), but \(at) has \(invocation.value.jsonText); the completion of a \(op.f) repeats its invocation's value (or has none)"
        }
        return HistoryError(file: input.name, line: line, column: 0, message: message)
    }

    /// A key for messages: `"k"` or `none`.
    private static func text(_ key: String?) -> String {
        key.map { JSONValue.string($0).jsonText } ?? "none"
    }
}
