/// Turns a Jepsen/Knossos op map such as `{:process 4, :type :ok, :f :read, :value 2}` into an `Operation`.
///
/// `:process` (integer → client, keyword or string → named), `:type`, `:f` are required;
/// `:key`, `:value`, `:time`, `:error`, `:node` are optional; `:index` is ignored (indices are
/// positions); every other entry goes to `extra` as JSON.
enum EDNOperation {
    /// The operation at `position` described by `value`, or a message saying what is wrong.
    static func operation(from value: EDNValue, position: Int) -> Result<Op, MappingFailure> {
        guard case .map(let entries) = value else {
            return .failure(MappingFailure(message: "expected an operation map '{:process ... :type ... :f ...}', found \(value.kind)"))
        }
        var process: ProcessID?
        var type: OpType?
        var f: String?
        var op = Op(index: position, process: .client(0), type: .invoke, f: "")
        for (key, item) in entries {
            guard let name = key.name ?? key.stringValue else {
                return .failure(MappingFailure(message: "expected keyword keys in an operation map, found \(key.kind) \(key.ednText)"))
            }
            switch name {
            case "process":
                switch item {
                case .int(let n): process = .client(Int(n))
                case .keyword(let s), .symbol(let s), .string(let s): process = .named(s)
                default:
                    return .failure(MappingFailure(message: "expected an integer or a keyword for :process, found \(item.kind) \(item.ednText)"))
                }
            case "type":
                guard let text = item.name ?? item.stringValue, let parsed = OpType(rawValue: text) else {
                    return .failure(MappingFailure(message: "unknown :type \(item.ednText); expected :invoke, :ok, :fail or :info"))
                }
                type = parsed
            case "f":
                if case .null = item {
                    return .failure(MappingFailure(message: "expected a keyword for :f, found nil"))
                }
                f = item.plainText
            case "key":
                if case .null = item { op.key = nil } else { op.key = item.plainText }
            case "value":
                op.value = item.json
            case "time":
                switch item {
                case .null: op.time = nil
                case .int(let n): op.time = n
                default:
                    return .failure(MappingFailure(message: "expected an integer (nanoseconds) for :time, found \(item.kind) \(item.ednText)"))
                }
            case "error":
                if case .null = item { op.error = nil } else { op.error = item.plainText }
            case "node":
                if case .null = item { op.node = nil } else { op.node = item.plainText }
            case "index":
                continue
            default:
                op.extra[name] = item.json
            }
        }
        guard let process else { return .failure(MappingFailure(message: "the operation has no :process")) }
        guard let type else { return .failure(MappingFailure(message: "the operation has no :type")) }
        guard let f else { return .failure(MappingFailure(message: "the operation has no :f")) }
        op.process = process
        op.type = type
        op.f = f
        return .success(op)
    }

    /// Why an op map cannot be an operation.
    struct MappingFailure: Error {
        var message: String
    }
}

extension EDNValue {
    /// The string, if this is a string.
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
