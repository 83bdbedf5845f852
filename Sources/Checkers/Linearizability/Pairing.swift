import Histories

/// One client operation from its invocation to its completion.
///
/// Stored in 12 bytes (positions as 32-bit integers: a history holds fewer than 2^31
/// operations, which `HistoryReader` enforces), since a check keeps one per call.
public struct CallRecord: Sendable, Hashable {
    private var invoke32: Int32
    private var completion32: Int32
    /// `ok`, `fail` or `info`.
    public var outcome: OpType

    public init(invoke: Int, completion: Int?, outcome: OpType) {
        invoke32 = Int32(truncatingIfNeeded: invoke)
        completion32 = completion.map { Int32(truncatingIfNeeded: $0) } ?? -1
        self.outcome = outcome
    }

    /// Index of the invocation in the history.
    public var invoke: Int { Int(invoke32) }

    /// Index of the completion, or nil when the operation never completed (counted as `info`).
    public var completion: Int? {
        get { completion32 < 0 ? nil : Int(completion32) }
        set { completion32 = newValue.map { Int32(truncatingIfNeeded: $0) } ?? -1 }
    }
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
    /// The client operations of an array, in invocation order.
    public static func calls(_ ops: [Op]) throws(PairingError) -> [CallRecord] {
        try calls(OpLog(ops))
    }

    /// The client operations in invocation order. An invocation with no completion is `info`.
    public static func calls(_ ops: OpLog) throws(PairingError) -> [CallRecord] {
        var records: [CallRecord] = []
        records.reserveCapacity(ops.count / 2 + 1)
        // Process → record index; dense for the usual small process numbers.
        let denseLimit = 1 << 20
        var dense: [Int32] = []
        var sparse: [Int: Int] = [:]
        for i in ops.indices {
            guard let p = ops.clientProcess(i) else { continue }
            let inFlight: Int?
            if p >= 0 && p < denseLimit {
                if p >= dense.count { dense.append(contentsOf: repeatElement(-1, count: p - dense.count + 1)) }
                inFlight = dense[p] < 0 ? nil : Int(dense[p])
            } else {
                inFlight = sparse[p]
            }
            let type = ops.type(i)
            if type == .invoke {
                if let r = inFlight {
                    let f = ops.functionName(ops.functionID(i)), g = ops.functionName(ops.functionID(records[r].invoke))
                    throw PairingError(
                        index: i,
                        message: "process \(p) invokes \(f) while its \(g) from operation \(records[r].invoke) has not completed; a process has one operation in flight at a time")
                }
                if p >= 0 && p < denseLimit { dense[p] = Int32(records.count) } else { sparse[p] = records.count }
                records.append(CallRecord(invoke: i, completion: nil, outcome: .info))
            } else {
                guard let r = inFlight else {
                    throw PairingError(index: i, message: "process \(p) completes \(ops.functionName(ops.functionID(i))) (\(type.rawValue)) but has no operation in flight")
                }
                if p >= 0 && p < denseLimit { dense[p] = -1 } else { sparse[p] = nil }
                if ops.functionID(i) != ops.functionID(records[r].invoke) {
                    throw PairingError(
                        index: i,
                        message: "process \(p) completes \(ops.functionName(ops.functionID(i))) but invoked \(ops.functionName(ops.functionID(records[r].invoke))) at operation \(records[r].invoke)")
                }
                records[r].completion = i
                records[r].outcome = type
            }
        }
        return records
    }
}
