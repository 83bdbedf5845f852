import Basics
import Histories

/// A history of transactions in flat arrays: transaction ids are dense integers, keys are
/// interned, micro-operations and read lists live in shared arrays (no per-transaction objects).
///
/// Built from a ``History`` (``init(history:workload:)``) or directly by a generator. Transaction
/// `t`'s micro-operations are `mopStart[t] ..< mopStart[t + 1]`.
public struct TxnHistory: Sendable {
    /// A transaction's outcome.
    public enum Status: UInt8, Sendable {
        case ok = 0
        /// May or may not have committed (an `info` completion or no completion).
        case info = 1
        /// Surely did not commit.
        case fail = 2
    }

    /// Micro-operation functions: `append` (list-append), `w` (rw-register), `r` (both).
    public enum Fn: UInt8, Sendable {
        case append = 0
        case write = 1
        case read = 2
    }

    /// Marks a register read of `null` (never written) and a read whose value is not known.
    public static let nullValue = Int64.min
    /// The read list length of a read whose result is not known (info, fail, invocation).
    public static let unknownLength: Int32 = -1

    public var status: [Status] = []
    public var process: [Int32] = []
    /// History index of each transaction's invocation.
    public var invokeIndex: [Int32] = []
    /// History index of its completion, -1 when it never completed.
    public var completeIndex: [Int32] = []
    /// `count + 1` offsets into the micro-operation arrays.
    public var mopStart: [Int32] = [0]
    public var mopFn: [Fn] = []
    public var mopKey: [Int32] = []
    /// Appended or written value; a register read's value (``nullValue`` for null); a list
    /// read's first element's offset in ``readValues``.
    public var mopValue: [Int64] = []
    /// A list read's length (``unknownLength`` when not known); 0 for other micro-operations.
    public var mopReadLength: [Int32] = []
    /// The elements of every list read, back to back.
    public var readValues: [Int64] = []
    /// The keys as they appear in the history, by interned id.
    public var keyNames: [JSONValue] = []
    /// List-append (reads return lists) or rw-register (reads return single values).
    public var listAppend: Bool

    public init(listAppend: Bool) {
        self.listAppend = listAppend
    }

    /// The number of transactions.
    public var count: Int { status.count }

    /// The micro-operations of transaction `t`, as indices into the `mop` arrays.
    @inline(__always) public func mops(_ t: Int) -> Range<Int> { Int(mopStart[t])..<Int(mopStart[t + 1]) }

    /// The elements a list read `m` returned (empty when unknown).
    @inline(__always) public func list(_ m: Int) -> ArraySlice<Int64> {
        let n = Int(mopReadLength[m])
        guard n > 0 else { return [] }
        let s = Int(mopValue[m])
        return readValues[s..<(s + n)]
    }

    /// Whether read `m`'s result is known.
    @inline(__always) public func readKnown(_ m: Int) -> Bool { mopReadLength[m] != Self.unknownLength }

    /// Starts a new transaction; add its micro-operations with the `append`/`write`/`read` methods.
    public mutating func begin(status: Status, process: Int32, invoke: Int32, complete: Int32) {
        self.status.append(status)
        self.process.append(process)
        invokeIndex.append(invoke)
        completeIndex.append(complete)
        mopStart.append(Int32(mopFn.count))
    }

    /// Adds a micro-operation to the transaction begun last.
    public mutating func add(_ fn: Fn, key: Int32, value: Int64, readLength: Int32 = 0) {
        mopFn.append(fn)
        mopKey.append(key)
        mopValue.append(value)
        mopReadLength.append(readLength)
        mopStart[mopStart.count - 1] = Int32(mopFn.count)
    }

    /// Adds a list read of `elements` (nil: unknown) to the transaction begun last.
    public mutating func addListRead<S: Sequence<Int64>>(key: Int32, elements: S?) {
        guard let elements else { return add(.read, key: key, value: 0, readLength: Self.unknownLength) }
        let start = readValues.count
        readValues.append(contentsOf: elements)
        add(.read, key: key, value: Int64(start), readLength: Int32(readValues.count - start))
    }

    /// A key's name as text, for prose.
    public func keyText(_ k: Int32) -> String {
        let v = keyNames[Int(k)]
        return v.stringValue ?? v.jsonText
    }
}

/// A history that cannot be read as transactions: where and why.
public struct TxnHistoryError: Error, Sendable, CustomStringConvertible {
    /// History index of the operation at fault.
    public var index: Int
    public var message: String

    public var description: String { "operation \(index): \(message)" }
}

extension TxnHistory {
    /// Reads the `txn` operations of `history` (nemesis and other named processes are skipped).
    ///
    /// `listAppend` chooses how reads are read: lists (list-append) or single values
    /// (rw-register). An `ok` completion gives the values read; `info` and `fail` the invoked
    /// micro-operations (their reads are unknown). Keys may be JSON integers or strings.
    public init(history: History, listAppend: Bool) throws(TxnHistoryError) {
        var builder = Builder(listAppend: listAppend)
        for op in history.operations { try builder.add(op) }
        self = builder.finish()
    }

    /// Builds a ``TxnHistory`` from operations one at a time, so that a history need not be held
    /// in memory as operations. Transactions are numbered as they complete (per process, that is
    /// the order they were invoked in); invocations never completed are `info`, at the end.
    public struct Builder {
        public private(set) var txns: TxnHistory
        private var keyIds: [JSONValue: Int32] = [:]
        /// Process → its invocation in flight.
        private var open: [Int: Op] = [:]

        public init(listAppend: Bool) {
            txns = TxnHistory(listAppend: listAppend)
        }

        /// Adds one history line: an invocation is held until its completion.
        public mutating func add(_ op: Op) throws(TxnHistoryError) {
            guard case .client(let p) = op.process else { return }
            if op.type == .invoke {
                if let other = open[p] {
                    throw TxnHistoryError(index: op.index, message: "process \(p) invokes \(op.f) while its \(other.f) from operation \(other.index) has not completed; a process has one operation in flight at a time")
                }
                guard op.f == "txn" else { throw notTxn(op) }
                open[p] = op
                return
            }
            guard let inv = open.removeValue(forKey: p) else {
                throw TxnHistoryError(index: op.index, message: "process \(p) completes \(op.f) (\(op.type.rawValue)) but has no operation in flight")
            }
            guard op.f == "txn" else { throw notTxn(op) }
            let st: Status = op.type == .ok ? .ok : op.type == .fail ? .fail : .info
            try addTxn(st, p, invoke: inv, complete: op)
        }

        /// The transactions, with every invocation still in flight counted as `info`.
        public mutating func finish() -> TxnHistory {
            for inv in open.values.sorted(by: { $0.index < $1.index }) {
                guard case .client(let p) = inv.process else { continue }
                // An invocation was checked when added; it cannot fail here.
                do { try addTxn(.info, p, invoke: inv, complete: nil) } catch { continue }
            }
            open = [:]
            return txns
        }

        private func notTxn(_ op: Op) -> TxnHistoryError {
            TxnHistoryError(
                index: op.index,
                message: "expected a transaction (f \"txn\" with a list of micro-operations), found f \"\(op.f)\"; "
                    + "the \(txns.listAppend ? "list-append" : "rw-register") checker reads only transactions")
        }

        private mutating func addTxn(_ st: Status, _ p: Int, invoke inv: Op, complete: Op?) throws(TxnHistoryError) {
            let listAppend = txns.listAppend
            let source = st == .ok ? (complete ?? inv) : inv
            let at = source.index
            guard case .array(let mops) = source.value else {
                throw TxnHistoryError(index: at, message: "a transaction's value must be a list of micro-operations such as [\"append\", 1, 2], found \(source.value.jsonText)")
            }
            txns.begin(status: st, process: Int32(truncatingIfNeeded: p), invoke: Int32(inv.index), complete: Int32(complete?.index ?? -1))
            for mop in mops {
                guard case .array(let parts) = mop, parts.count == 3, let fn = parts[0].stringValue else {
                    throw TxnHistoryError(index: at, message: "expected a micro-operation [fn, key, value], found \(mop.jsonText)")
                }
                let keyValue = parts[1]
                switch keyValue {
                case .int, .string: break
                default: throw TxnHistoryError(index: at, message: "a micro-operation's key must be an integer or a string, found \(keyValue.jsonText) in \(mop.jsonText)")
                }
                let key: Int32
                if let id = keyIds[keyValue] { key = id } else {
                    key = Int32(txns.keyNames.count)
                    keyIds[keyValue] = key
                    txns.keyNames.append(keyValue)
                }
                let v = parts[2]
                switch (fn, listAppend) {
                case ("append", true), ("w", false):
                    guard let x = v.intValue, x != TxnHistory.nullValue else {
                        throw TxnHistoryError(index: at, message: "\(fn) needs an integer value, found \(v.jsonText) in \(mop.jsonText)")
                    }
                    txns.add(listAppend ? .append : .write, key: key, value: x)
                case ("r", true):
                    guard st == .ok else {
                        txns.addListRead(key: key, elements: [Int64]?.none)
                        continue
                    }
                    switch v {
                    case .null: txns.addListRead(key: key, elements: [Int64]())
                    case .array(let items):
                        let start = txns.readValues.count
                        for item in items {
                            guard let x = item.intValue else {
                                txns.readValues.removeLast(txns.readValues.count - start)
                                throw TxnHistoryError(index: at, message: "a read list's elements must be integers, found \(item.jsonText) in \(mop.jsonText)")
                            }
                            txns.readValues.append(x)
                        }
                        txns.add(.read, key: key, value: Int64(start), readLength: Int32(txns.readValues.count - start))
                    default:
                        throw TxnHistoryError(index: at, message: "a list-append read returns a list (or null for an empty key), found \(v.jsonText) in \(mop.jsonText)")
                    }
                case ("r", false):
                    guard st == .ok else {
                        txns.add(.read, key: key, value: TxnHistory.nullValue, readLength: TxnHistory.unknownLength)
                        continue
                    }
                    if v.isNull {
                        txns.add(.read, key: key, value: TxnHistory.nullValue)
                    } else if let x = v.intValue, x != TxnHistory.nullValue {
                        txns.add(.read, key: key, value: x)
                    } else {
                        throw TxnHistoryError(index: at, message: "an rw-register read returns an integer or null, found \(v.jsonText) in \(mop.jsonText)")
                    }
                default:
                    let known = listAppend ? "\"append\" and \"r\" (list-append)" : "\"w\" and \"r\" (rw-register)"
                    throw TxnHistoryError(index: at, message: "unknown micro-operation \"\(fn)\" in \(mop.jsonText); this checker knows \(known)")
                }
            }
        }
    }

    /// The full text of transaction `t` as it committed (or was invoked), e.g.
    /// `T3 (operation 12, process 2, ok): [append 4 1] [r 5 [1 2]]`. Long transactions are cut.
    public func text(_ t: Int, maxMops: Int = 16, maxElements: Int = 12) -> String {
        var out = "T\(t) (operation \(invokeIndex[t]), process \(process[t]), \(["ok", "info", "fail"][Int(status[t].rawValue)])):"
        let range = mops(t)
        for m in range.prefix(maxMops) {
            out += " " + mopText(m, maxElements: maxElements)
        }
        if range.count > maxMops { out += " … (\(range.count - maxMops) more)" }
        return out
    }

    /// One micro-operation as text: `[append 4 1]`, `[r 5 [1 2]]`, `[w 3 7]`, `[r 3 nil]`.
    public func mopText(_ m: Int, maxElements: Int = 12) -> String {
        let k = keyText(mopKey[m])
        switch mopFn[m] {
        case .append: return "[append \(k) \(mopValue[m])]"
        case .write: return "[w \(k) \(mopValue[m])]"
        case .read:
            guard readKnown(m) else { return "[r \(k) ?]" }
            if listAppend { return "[r \(k) \(listText(list(m), maxElements: maxElements))]" }
            return mopValue[m] == Self.nullValue ? "[r \(k) nil]" : "[r \(k) \(mopValue[m])]"
        }
    }

    /// A list as `[1 2 3]`, cut to its last `maxElements` elements.
    public func listText(_ xs: ArraySlice<Int64>, maxElements: Int = 12) -> String {
        if xs.count <= maxElements { return "[" + xs.map(String.init).joined(separator: " ") + "]" }
        return "[… " + xs.suffix(maxElements).map(String.init).joined(separator: " ") + "]"
    }
}
