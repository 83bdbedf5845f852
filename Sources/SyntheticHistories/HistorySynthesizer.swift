import Basics
import Histories

/// Makes histories reproducibly from a seed: a simulated linearizable store, valid by
/// construction, optionally with one injected stale read that makes it invalid.
///
/// Each operation takes effect atomically when it completes, so every `ok` result is
/// explained by completion order. Crashed operations (`info`) are writes that took effect
/// or not, by a coin flip; the crashed process is replaced by a fresh process number.
public struct HistorySynthesizer: Sendable {
    /// What to generate.
    public struct Config: Sendable {
        /// `kv` (get/put with string values) or `cas-register` (read/write/cas with integers).
        public var model: String
        public var operations: Int
        public var keys: Int
        public var processes: Int
        /// Crashed writes to inject (completed as `info`).
        public var crashes: Int
        /// Inject one stale read, making the history invalid.
        public var violation: Bool
        public var seed: UInt64

        public init(
            model: String = "kv", operations: Int = 10_000, keys: Int = 10, processes: Int = 5,
            crashes: Int = 3, violation: Bool = false, seed: UInt64 = 1
        ) {
            self.model = model
            self.operations = operations
            self.keys = keys
            self.processes = processes
            self.crashes = crashes
            self.violation = violation
            self.seed = seed
        }
    }

    public let config: Config

    public init(_ config: Config) {
        self.config = config
    }

    /// The models the generator can simulate.
    public static let models = ["kv", "cas-register"]

    /// One operation in flight.
    private struct Pending {
        var process: Int
        var f: String
        var key: Int
        var value: JSONValue
        var crash: Bool
    }

    /// Calls `emit` with each operation (invocations and completions) in real-time order.
    /// `config.operations` counts completed client operations.
    public func generate(_ emit: (Op) throws -> Void) rethrows {
        let c = config
        var rng = SplitMix(seed: c.seed)
        let kv = c.model == "kv"
        var state = [JSONValue](repeating: kv ? .string("") : .null, count: max(1, c.keys))
        var previous = state  // per key: the value before the last write
        // Per key, op indices of the current value's write (invocation, completion) and of the
        // previous value's completion; a crashed write's completion is unknown (Int.max).
        var currentInvoked = [Int](repeating: -1, count: max(1, c.keys))
        var currentDone = currentInvoked
        var previousDone = currentInvoked
        var pending = [Pending?](repeating: nil, count: max(1, c.processes))
        var processOf = Array(0..<max(1, c.processes))
        var invokedAt = [Int](repeating: 0, count: max(1, c.processes))
        var nextProcess = max(1, c.processes)
        var index = 0
        var time: Int64 = 0
        var completed = 0
        var writeCounter = 0
        var crashesLeft = c.crashes
        let crashEvery = c.crashes > 0 ? max(1, c.operations / (c.crashes + 1)) : Int.max
        var injected = !c.violation
        let injectAfter = c.operations / 2

        func emitOp(_ op: Op) throws {
            try emit(op)
            index += 1
        }

        while completed < c.operations {
            time += Int64(1_000 + rng.next(below: 50_000))
            let slot = rng.next(below: pending.count)
            guard let p = pending[slot] else {
                // Invoke a new operation on a random key.
                let key = rng.next(below: state.count)
                let roll = rng.next(below: 100)
                var op = Pending(process: processOf[slot], f: "", key: key, value: .null, crash: false)
                if roll < 50 {
                    op.f = kv ? "get" : "read"
                } else if kv || roll < 80 {
                    writeCounter += 1
                    op.f = kv ? "put" : "write"
                    op.value = kv ? .string("v\(writeCounter)") : .int(Int64(writeCounter))
                    if crashesLeft > 0 && (completed + 1) % crashEvery == 0 {
                        op.crash = true
                        crashesLeft -= 1
                    }
                } else {
                    writeCounter += 1
                    let expected = rng.next(below: 2) == 0 ? state[key] : .int(Int64(rng.next(below: max(1, writeCounter))))
                    op.f = "cas"
                    op.value = .array([expected, .int(Int64(writeCounter))])
                }
                pending[slot] = op
                invokedAt[slot] = index
                try emitOp(Op(
                    index: index, time: time, process: .client(op.process), type: .invoke, f: op.f,
                    key: "k\(key)", value: op.f == "get" || op.f == "read" ? .null : op.value))
                continue
            }
            // Complete the operation in flight: it takes effect now.
            func apply(_ key: Int, _ v: JSONValue, done: Int) {
                previous[key] = state[key]
                state[key] = v
                previousDone[key] = currentDone[key]
                currentInvoked[key] = invokedAt[slot]
                currentDone[key] = done
            }
            pending[slot] = nil
            completed += 1
            var type = OpType.ok
            var value = p.value
            switch p.f {
            case "get", "read":
                value = state[p.key]
                // Stale only if the previous write surely came before the current one, and the
                // current one completed before this read began: then no order explains it.
                if !injected && completed >= injectAfter && previousDone[p.key] < currentInvoked[p.key]
                    && currentDone[p.key] < invokedAt[slot] && previous[p.key] != state[p.key] {
                    value = previous[p.key]
                    injected = true
                }
            case "cas":
                let pair = p.value.arrayValue ?? []
                if pair.count == 2 && pair[0] == state[p.key] {
                    apply(p.key, pair[1], done: index)
                } else {
                    type = .fail
                }
            default:
                if p.crash {
                    type = .info
                    if rng.next(below: 2) == 0 {
                        apply(p.key, p.value, done: Int.max)
                    }
                } else {
                    apply(p.key, p.value, done: index)
                }
            }
            try emitOp(Op(
                index: index, time: time, process: .client(p.process), type: type, f: p.f,
                key: "k\(p.key)", value: value, error: type == .info ? "timeout (simulated crash)" : nil))
            if type == .info {
                processOf[slot] = nextProcess
                nextProcess += 1
            }
        }
    }
}
