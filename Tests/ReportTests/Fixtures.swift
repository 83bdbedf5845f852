import Basics
import Checkers
import Histories

/// Builds histories in code for the report tests.
struct OpBuilder {
    private(set) var ops: [Op] = []
    /// Nanoseconds; each event advances it by `step`.
    var now: Int64 = 1_000_000
    var step: Int64 = 1_000

    mutating func invoke(_ p: Int, _ f: String, key: String? = "k", _ value: JSONValue = .null) {
        add(.client(p), .invoke, f, key, value, nil)
    }

    mutating func complete(
        _ p: Int, _ type: OpType, _ f: String, key: String? = "k", _ value: JSONValue = .null, error: String? = nil
    ) {
        add(.client(p), type, f, key, value, error)
    }

    mutating func nemesis(_ f: String, _ value: JSONValue) {
        add(.nemesis, .info, f, nil, value, nil)
    }

    /// A whole call that does not overlap any other.
    mutating func call(_ p: Int, _ f: String, key: String? = "k", _ input: JSONValue, _ output: JSONValue, _ type: OpType = .ok) {
        invoke(p, f, key: key, input)
        complete(p, type, f, key: key, output)
    }

    private mutating func add(_ p: ProcessID, _ t: OpType, _ f: String, _ key: String?, _ v: JSONValue, _ err: String?) {
        ops.append(Op(index: ops.count, time: now, process: p, type: t, f: f, key: key, value: v, error: err))
        now += step
    }

    var history: History { History(operations: ops, source: "built.jsonl") }
}

enum Fixtures {
    /// Checks with the cas-register model on one thread.
    static func check(_ h: History, model: String = "cas-register", options: CheckOptions = CheckOptions(parallelism: 1)) throws -> CheckResult {
        guard let m = Models.named(model) else { throw FixtureError.noModel(model) }
        return try LinearizabilityChecker(model: m, options: options).check(h)
    }

    /// A small invalid history: write 1, write 2, then a stale read of 1 on key "k"; key "ok" is fine.
    static func staleRead(value: JSONValue = .int(1)) -> History {
        var b = OpBuilder()
        b.call(0, "write", key: "ok", .int(5), .int(5))
        b.call(0, "write", value, value)
        b.nemesis("partition", .object(["n1": .array([.string("n2")])]))
        b.call(1, "write", .int(2), .int(2))
        b.invoke(2, "read")
        b.invoke(3, "write", .int(3))
        b.complete(3, .fail, "write", .int(3), error: "refused")
        b.invoke(4, "cas", .array([.int(7), .int(8)]))
        b.complete(2, .ok, "read", value)
        b.call(0, "read", key: "ok", .null, .int(5))
        return b.history
    }

    /// `count` operations (invocations and completions) over `keys` keys with pairs of overlapping
    /// writes and reads, and one stale read on key 0 about 90% of the way through.
    static func large(count: Int, keys: Int) -> History {
        var b = OpBuilder()
        var value = Array(repeating: 0, count: keys)
        let staleAt = count * 9 / 10
        var k = 0
        var injected = false
        while b.ops.count < count {
            let key = "key\(k % keys)"
            let slot = k % keys
            let base = 10 * slot
            value[slot] += 1
            let v = JSONValue.int(Int64(value[slot]))
            // A write and a read that overlap: the read may see the old or the new value.
            b.invoke(base, "write", key: key, v)
            b.invoke(base + 1, "read", key: key)
            b.complete(base, .ok, "write", key: key, v)
            b.complete(base + 1, .ok, "read", key: key, v)
            if slot == 0, !injected, b.ops.count >= staleAt {
                injected = true
                b.call(base + 2, "read", key: key, .null, .int(Int64(max(0, value[slot] - 5))))
            }
            if k % 97 == 0 { b.call(base + 3, "write", key: key, .int(-1), .null, .fail) }
            k += 1
        }
        return b.history
    }
}

enum FixtureError: Error {
    case noModel(String)
}
