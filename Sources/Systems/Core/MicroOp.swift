import Basics

/// One micro-operation of a `txn` request: `[fn, key, value]`.
public struct MicroOp: Sendable, Hashable {
    /// `r`, `append` or `w`.
    public var fn: String
    public var key: Int64
    /// The value written (nil for reads).
    public var value: Int64?

    public init(fn: String, key: Int64, value: Int64?) {
        self.fn = fn
        self.key = key
        self.value = value
    }

    /// Reads a `txn` request's value; a message saying what is wrong otherwise.
    public static func parse(_ value: JSONValue) -> Result<[MicroOp], TxnRefusal> {
        guard let items = value.arrayValue else { return .failure(TxnRefusal("txn value is not a list of micro-operations")) }
        var ops: [MicroOp] = []
        for item in items {
            guard let parts = item.arrayValue, parts.count == 3, let fn = parts[0].stringValue else {
                return .failure(TxnRefusal("micro-operation \(item.jsonText) is not [fn, key, value]"))
            }
            let key: Int64
            if let k = parts[1].intValue {
                key = k
            } else if let s = parts[1].stringValue, let k = Int64(s) {
                key = k
            } else {
                return .failure(TxnRefusal("micro-operation \(item.jsonText): the key must be an integer"))
            }
            switch fn {
            case "r": ops.append(MicroOp(fn: fn, key: key, value: nil))
            case "append", "w":
                guard let v = parts[2].intValue else {
                    return .failure(TxnRefusal("micro-operation \(item.jsonText): the value must be an integer"))
                }
                ops.append(MicroOp(fn: fn, key: key, value: v))
            default:
                return .failure(TxnRefusal("micro-operation \(item.jsonText): unknown function '\(fn)' (r, append or w)"))
            }
        }
        return .success(ops)
    }

    /// The micro-operation as it goes into the history, with `read` as a read's value.
    public func json(read: JSONValue?) -> JSONValue {
        .array([.string(fn), .int(key), value.map { .int($0) } ?? read ?? .null])
    }
}

/// Why a transaction request cannot be sent (it then fails: it certainly took no effect).
public struct TxnRefusal: Error, Sendable, Hashable {
    public var message: String

    public init(_ message: String) { self.message = message }
}
