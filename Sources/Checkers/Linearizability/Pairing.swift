import Histories

/// One client operation from its invocation to its completion.
public struct CallRecord: Sendable, Hashable {
    /// Index of the invocation in the history.
    public var invoke: Int
    /// Index of the completion, or nil when the operation never completed (counted as `info`).
    public var completion: Int?
    /// `ok`, `fail` or `info`.
    public var outcome: OpType
}

/// A history whose invocations and completions do not pair up.
public struct PairingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Index of the operation at fault.
    public var index: Int
    public var message: String

    public var description: String { "operation \(index): \(message)" }
}

/// Pairs client invocations with their completions; nemesis and other named processes are skipped.
public enum Pairing {
    /// The client operations in invocation order. An invocation with no completion is `info`.
    public static func calls(_ ops: [Op]) throws(PairingError) -> [CallRecord] {
        var records: [CallRecord] = []
        records.reserveCapacity(ops.count / 2 + 1)
        var open: [Int: Int] = [:]  // process → record index
        for (i, op) in ops.enumerated() {
            guard case .client(let p) = op.process else { continue }
            if op.type == .invoke {
                if let r = open[p] {
                    throw PairingError(
                        index: i,
                        message: "process \(p) invokes \(op.f) while its \(ops[records[r].invoke].f) from operation \(records[r].invoke) has not completed; a process has one operation in flight at a time")
                }
                open[p] = records.count
                records.append(CallRecord(invoke: i, completion: nil, outcome: .info))
            } else {
                guard let r = open.removeValue(forKey: p) else {
                    throw PairingError(index: i, message: "process \(p) completes \(op.f) (\(op.type.rawValue)) but has no operation in flight")
                }
                let f = ops[records[r].invoke].f
                if f != op.f {
                    throw PairingError(index: i, message: "process \(p) completes \(op.f) but invoked \(f) at operation \(records[r].invoke)")
                }
                records[r].completion = i
                records[r].outcome = op.type
            }
        }
        return records
    }
}
