import Basics
import Checkers
import Histories

/// The `differential` target: a tiny history built from the input, checked by the search and by
/// brute force (every order that respects real time); the two verdicts must agree.
///
/// The history is always well formed (2-4 processes, at most 14 events, small values, `ok`,
/// `fail` and `info` completions, some calls left in flight, one or two keys), so every input
/// exercises the search rather than the reader. The model is picked by the first byte:
/// cas-register, mutex or kv.
enum Differential {
    /// The most events (invocations plus completions) of a history.
    static let maxEvents = 14

    /// Builds the history from `bytes`, checks it both ways, and traps on a disagreement.
    static func run(_ bytes: [UInt8]) {
        guard let outcome = outcome(bytes), outcome.disagree else { return }
        let text = outcome.ops.map(\.jsonLine).joined(separator: "\n")
        let expected = outcome.bruteForce ? "valid" : "invalid"
        FuzzFailure.trap("model \(outcome.model): brute force says \(expected), the search says \(outcome.search)\n\(text)")
    }

    /// What both checks said of the history built from some bytes.
    struct Outcome {
        /// The model's name.
        var model: String
        /// The generated history.
        var ops: [Op]
        /// The search's verdict (never `unknown`).
        var search: Verdict
        /// Whether brute force found an order.
        var bruteForce: Bool
        /// Whether the two verdicts differ.
        var disagree: Bool { (search == .valid) != bruteForce }
    }

    /// Builds the history from `bytes` and checks it both ways; nil when either cannot decide.
    static func outcome(_ bytes: [UInt8]) -> Outcome? {
        var input = ByteReader(bytes)
        switch input.next(below: 3) {
        case 0: return compare(RegisterModel(allowsCAS: true), history(&input, kind: .register))
        case 1: return compare(MutexModel(), history(&input, kind: .mutex))
        default: return compare(KVModel(), history(&input, kind: .kv))
        }
    }

    /// The operations a generated history uses.
    enum Kind { case register, mutex, kv }

    /// A well-formed history of the given kind, driven by `input`.
    static func history(_ input: inout ByteReader, kind: Kind) -> [Op] {
        var ops: [Op] = []
        let slots = 2 + input.next(below: 3)
        var process = Array(0..<slots)
        var busy: [(f: String, value: JSONValue, key: String?)?] = Array(repeating: nil, count: slots)
        var nextProcess = slots
        let keys = kind == .mutex ? 1 : 1 + input.next(below: 2)
        func add(_ p: Int, _ type: OpType, _ f: String, _ value: JSONValue, _ key: String?) {
            ops.append(Op(index: ops.count, process: .client(p), type: type, f: f, key: key, value: value))
        }
        func small(_ input: inout ByteReader) -> JSONValue { .int(Int64(input.next(below: 3))) }
        func text(_ input: inout ByteReader) -> JSONValue { .string(["a", "b", "ab", ""][input.next(below: 4)]) }
        let events = 2 + input.next(below: maxEvents - 1)
        for _ in 0..<events {
            let s = input.next(below: slots)
            if let call = busy[s] {
                busy[s] = nil
                let roll = input.next(below: 10)
                let isRead = call.f == "read" || call.f == "get"
                if roll < 6 {
                    // A read returns what the input says; anything else returns its argument.
                    let result: JSONValue
                    switch (kind, isRead) {
                    case (.register, true): result = input.next(below: 4) == 0 ? .null : small(&input)
                    case (.kv, true): result = text(&input)
                    default: result = call.value
                    }
                    add(process[s], .ok, call.f, result, call.key)
                } else if roll < 8 {
                    add(process[s], .fail, call.f, call.value, call.key)
                } else {
                    add(process[s], .info, call.f, call.value, call.key)
                    process[s] = nextProcess
                    nextProcess += 1
                }
            } else {
                let key: String? = kind == .mutex ? nil : "k\(input.next(below: keys))"
                let (f, value): (String, JSONValue)
                switch (kind, input.next(below: 3)) {
                case (.register, 0): (f, value) = ("read", .null)
                case (.register, 1): (f, value) = ("write", small(&input))
                case (.register, _): (f, value) = ("cas", [input.next(below: 4) == 0 ? .null : small(&input), small(&input)])
                case (.mutex, let n): (f, value) = (n == 0 ? "release" : "acquire", .null)
                case (.kv, 0): (f, value) = ("get", .null)
                case (.kv, 1): (f, value) = ("put", text(&input))
                case (.kv, _): (f, value) = ("append", text(&input))
                }
                busy[s] = (f, value, key)
                add(process[s], .invoke, f, value, key)
            }
        }
        return ops
    }

    /// Checks `ops` with the search and by brute force; nil when either cannot decide.
    static func compare<M: Model>(_ model: M, _ ops: [Op]) -> Outcome? {
        let options = CheckOptions(timeoutSeconds: 5, parallelism: 1)
        guard let result = try? LinearizabilityChecker(model: model, options: options).check(operations: ops) else { return nil }
        guard result.verdict != .unknown, let expected = bruteForce(model, ops) else { return nil }
        return Outcome(model: model.name, ops: ops, search: result.verdict, bruteForce: expected)
    }

    /// Whether some order of the calls respects real time and the model, with `info` calls (and
    /// calls that never completed) placed anywhere after their invocation or left out. Nil when
    /// the history cannot be read (the search must then have thrown too).
    static func bruteForce<M: Model>(_ model: M, _ ops: [Op]) -> Bool? {
        guard let records = try? Pairing.calls(ops), let initial = try? model.initialState(nil) else { return nil }
        var calls: [PlacedCall<M.Call>] = []
        for r in records where r.outcome != .fail {
            let invocation = ops[r.invoke]
            let output = r.outcome == .ok ? r.completion.map { ops[$0].value } : nil
            guard let call = try? model.call(f: invocation.f, key: invocation.key, input: invocation.value, output: output) else { return nil }
            calls.append(PlacedCall(
                call: call, invoke: r.invoke, completion: r.outcome == .ok ? (r.completion ?? Int.max) : Int.max,
                must: r.outcome == .ok, key: invocation.key))
        }
        var placed = [Bool](repeating: false, count: calls.count)
        var state: [String?: M.State] = [:]
        func search(_ remaining: Int) -> Bool {
            if remaining == 0 { return true }
            for i in calls.indices where !placed[i] {
                // i may go next only if every unplaced ok call that completed before i began is placed.
                if calls.indices.contains(where: { j in !placed[j] && calls[j].must && calls[j].completion < calls[i].invoke }) { continue }
                let before = state[calls[i].key] ?? initial
                guard let after = model.step(before, calls[i].call) else { continue }
                placed[i] = true
                state[calls[i].key] = after
                if search(remaining - (calls[i].must ? 1 : 0)) { return true }
                placed[i] = false
                state[calls[i].key] = before
            }
            return false
        }
        return search(calls.filter(\.must).count)
    }
}

/// One call for the brute-force search: the model's call, when it began and ended, and whether
/// it must be placed (`ok`) or may be left out (`info`, never completed).
struct PlacedCall<Call> {
    var call: Call
    var invoke: Int
    var completion: Int
    var must: Bool
    var key: String?
}

/// Reads small numbers from fuzz input; zeros once the input is used up.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// A number in `0..<bound` from the next byte.
    mutating func next(below bound: Int) -> Int {
        guard offset < bytes.count, bound > 0 else { return 0 }
        defer { offset += 1 }
        return Int(bytes[offset]) % bound
    }
}
