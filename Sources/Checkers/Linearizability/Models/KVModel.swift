import Basics
import Histories

/// A key-value store of strings with `get`, `put` and `append`; every key starts as `""`.
///
/// Partitioned by key (the default) each partition holds one key; checked as one partition
/// the state is the whole map. `--initial` may be a string (every key's initial value) or
/// an object of key to string.
public struct KVModel: Model {
    public let name = "kv"
    public var functions: [String] { ["get", "put", "append"] }

    public init() {}

    /// The map: keys whose value differs from the default, so that equal maps are equal values.
    ///
    /// It carries an order-independent hash updated per change (XOR of each entry's hash), so
    /// that interning a state costs one entry's hash, not the whole map's.
    public struct State: Hashable, Sendable {
        var values: [String: String]
        var defaultValue: String
        private var digest: Int

        init(values: [String: String], defaultValue: String) {
            self.values = values
            self.defaultValue = defaultValue
            digest = values.reduce(0) { $0 ^ State.entryHash($1.key, $1.value) }
        }

        private static func entryHash(_ key: String, _ value: String) -> Int {
            var h = Hasher()
            h.combine(key)
            h.combine(value)
            return h.finalize()
        }

        func value(_ key: String) -> String { values[key] ?? defaultValue }

        func setting(_ key: String, _ v: String) -> State {
            var s = self
            if let old = values[key] { s.digest ^= State.entryHash(key, old) }
            if v == defaultValue {
                s.values[key] = nil
            } else {
                s.values[key] = v
                s.digest ^= State.entryHash(key, v)
            }
            return s
        }

        public static func == (a: State, b: State) -> Bool {
            a.digest == b.digest && a.defaultValue == b.defaultValue && a.values == b.values
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(digest)
        }
    }

    /// A kv operation on one key.
    public enum Call: Sendable, Hashable {
        /// A get that saw `value`, or whose result is unknown (nil).
        case get(key: String, value: String?)
        case put(key: String, value: String)
        case append(key: String, value: String)
    }

    public func initialState(_ initial: JSONValue?) throws(ModelError) -> State {
        switch initial {
        case nil, .null?: return State(values: [:], defaultValue: "")
        case .string(let s)?: return State(values: [:], defaultValue: s)
        case .object(let o)?:
            var values: [String: String] = [:]
            for (k, v) in o {
                guard let s = v.stringValue else { throw ModelError("kv initial values are strings; key \(k) has \(v.jsonText)") }
                if !s.isEmpty { values[k] = s }
            }
            return State(values: values, defaultValue: "")
        case let other?:
            throw ModelError("kv takes a string or an object of strings as its initial value, got \(other.jsonText)")
        }
    }

    public func call(f: String, key: String?, input: JSONValue, output: JSONValue?) throws(ModelError) -> Call {
        let k = key ?? ""
        func string(_ v: JSONValue, _ what: String) throws(ModelError) -> String {
            switch v {
            case .string(let s): return s
            case .null: return ""
            case .int(let i): return String(i)
            default: throw ModelError("kv \(f) takes a string \(what), got \(v.jsonText)")
            }
        }
        switch f {
        case "get", "read":
            guard let output else { return .get(key: k, value: nil) }
            return .get(key: k, value: try string(output, "result"))
        case "put", "write": return .put(key: k, value: try string(input, "value"))
        case "append": return .append(key: k, value: try string(input, "value"))
        default:
            throw ModelError("the kv model has no operation \"\(f)\"; it knows get, put, append")
        }
    }

    public func step(_ state: State, _ call: Call) -> State? {
        switch call {
        case .get(let k, let v):
            guard let v else { return state }
            return state.value(k) == v ? state : nil
        case .put(let k, let v): return state.setting(k, v)
        case .append(let k, let v): return state.setting(k, state.value(k) + v)
        }
    }

    public func isReadOnly(_ call: Call) -> Bool {
        if case .get = call { return true }
        return false
    }

    /// Every read of a key whose appends and read values are ASCII (where `String`'s equality,
    /// canonical equivalence, is byte equality): until it is placed, and once every put of its
    /// key that may come first is placed, values only grow by appends, so every state must hold
    /// a prefix of what it read.
    public func lookahead(_ calls: [Call]) -> [Lookahead<State>] {
        func ascii(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }
        var excluded = Set<String>()
        var puts: [String: [Int]] = [:]
        for (i, c) in calls.enumerated() {
            switch c {
            case .put(let k, _): puts[k, default: []].append(i)
            case .append(let k, let v): if !ascii(v) { excluded.insert(k) }
            case .get(let k, let v?): if !ascii(v) { excluded.insert(k) }
            case .get(_, nil): break
            }
        }
        return calls.indices.compactMap { i in
            guard case .get(let key, let v?) = calls[i], !excluded.contains(key) else { return nil }
            let bytes = Array(v.utf8)
            return Lookahead(call: i, resets: puts[key] ?? []) { state in
                let held = state.value(key).utf8
                // A non-ASCII value (from a non-ASCII initial value) is not compared byte-wise.
                guard held.allSatisfy({ $0 < 0x80 }) else { return true }
                return held.count <= bytes.count && held.elementsEqual(bytes[..<held.count])
            }
        }
    }

    /// The map's entries: each key and value's UTF-8 bytes, plus a dictionary slot and string headers.
    public func heapBytes(_ state: State) -> Int {
        state.values.isEmpty ? 0 : state.values.reduce(64) { $0 + 48 + $1.key.utf8.count + $1.value.utf8.count }
    }

    public func describe(_ state: State) -> String {
        if state.values.isEmpty { return state.defaultValue.isEmpty ? "{} (every key \"\")" : "{} (every key \(show(.string(state.defaultValue))))" }
        let parts = state.values.keys.sorted().map { "\($0)=\(show(.string(state.value($0))))" }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    public func describe(_ call: Call) -> String {
        switch call {
        case .get(let k, let v): return "get \(k) → \(v.map { show(.string($0)) } ?? "unknown")"
        case .put(let k, let v): return "put \(k) \(show(.string(v)))"
        case .append(let k, let v): return "append \(k) \(show(.string(v)))"
        }
    }

    public func whyNot(_ call: Call, in state: State) -> String {
        switch call {
        case .get(let k, let v):
            return "it read \(v.map { show(.string($0)) } ?? "unknown") from \(k) but \(k) held \(show(.string(state.value(k))))"
        default: return "a \(describe(call)) is always possible"
        }
    }
}
