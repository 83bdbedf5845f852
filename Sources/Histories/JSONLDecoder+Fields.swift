/// The known fields of a JSON Lines operation, recognised from their raw bytes.
extension JSONLDecoder {
    /// Bits for the known fields, to reject duplicates and find missing required ones.
    enum Field {
        static let index: UInt16 = 1 << 0
        static let time: UInt16 = 1 << 1
        static let process: UInt16 = 1 << 2
        static let type: UInt16 = 1 << 3
        static let f: UInt16 = 1 << 4
        static let key: UInt16 = 1 << 5
        static let value: UInt16 = 1 << 6
        static let error: UInt16 = 1 << 7
        static let node: UInt16 = 1 << 8
    }

    /// Whether the bytes of a field name equal `name`.
    @inline(__always)
    static func named(_ s: JSONScanner, _ start: Int, _ length: Int, _ name: StaticString) -> Bool {
        length == name.utf8CodeUnitCount && memcmpEqual(s.p + start, name.utf8Start, length)
    }

    /// Which known field a raw (escape-free) name is, or 0.
    @inline(__always)
    static func knownField(_ s: JSONScanner, _ start: Int, _ length: Int) -> UInt16 {
        switch length {
        case 1: return s.p[start] == UInt8(ascii: "f") ? Field.f : 0
        case 3: return named(s, start, length, "key") ? Field.key : 0
        case 4:
            if named(s, start, length, "time") { return Field.time }
            if named(s, start, length, "type") { return Field.type }
            if named(s, start, length, "node") { return Field.node }
            return 0
        case 5:
            if named(s, start, length, "value") { return Field.value }
            if named(s, start, length, "index") { return Field.index }
            if named(s, start, length, "error") { return Field.error }
            return 0
        case 7: return named(s, start, length, "process") ? Field.process : 0
        default: return 0
        }
    }

    /// The known field a decoded name is, or 0 (for names written with escapes).
    static func knownField(_ name: String) -> UInt16 {
        switch name {
        case "index": return Field.index
        case "time": return Field.time
        case "process": return Field.process
        case "type": return Field.type
        case "f": return Field.f
        case "key": return Field.key
        case "value": return Field.value
        case "error": return Field.error
        case "node": return Field.node
        default: return 0
        }
    }

    /// The type spelled by the plain string at the scanner (`"ok"` and so on), and its length with quotes.
    @inline(__always)
    static func opType(_ s: JSONScanner) -> (type: OpType, length: Int)? {
        let rest = s.end - s.i
        if rest >= 4, named(s, s.i, 4, "\"ok\"") { return (.ok, 4) }
        if rest >= 6, named(s, s.i, 6, "\"fail\"") { return (.fail, 6) }
        if rest >= 6, named(s, s.i, 6, "\"info\"") { return (.info, 6) }
        if rest >= 8, named(s, s.i, 8, "\"invoke\"") { return (.invoke, 8) }
        return nil
    }

    /// The name of a known field, for messages.
    static func fieldName(_ field: UInt16) -> String {
        switch field {
        case Field.index: return "index"
        case Field.time: return "time"
        case Field.process: return "process"
        case Field.type: return "type"
        case Field.f: return "f"
        case Field.key: return "key"
        case Field.value: return "value"
        case Field.error: return "error"
        default: return "node"
        }
    }
}
