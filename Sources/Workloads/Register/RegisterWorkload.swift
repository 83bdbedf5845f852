import Basics
import Checkers
import Config
import Systems

/// The `register` workload kind: reads, writes and compare-and-sets on rotating keys, judged
/// for linearizability against a (cas-)register model.
///
/// Fields of `workload:` (docs/workload.md): `model` (`cas-register` or `register`),
/// `ops-per-key`, `clients-per-key`, `values`, `mix` (weights of read, write, cas), `check-timeout` and
/// `key-check-timeout` (the checker's time budgets: the whole history, one key).
public struct RegisterKind: WorkloadKind {
    public init() {}

    public var name: String { "register" }

    public var summary: String { "read, write and compare-and-set on rotating keys, checked for linearizability" }

    /// The fields it reads.
    public static let fields = ["model", "ops-per-key", "clients-per-key", "values", "mix", "check-timeout", "key-check-timeout"]

    public func configure(_ section: ConfigSection) throws(ConfigError) -> any Workload {
        var w = RegisterWorkload()
        try section.forEach(skipping: ["kind"]) { f throws(ConfigError) in
            switch f.name {
            case "model": w.model = try f.choice(["cas-register", "register"])
            case "ops-per-key": w.opsPerKey = try f.int(min: 1)
            case "clients-per-key": w.clientsPerKey = try f.int(min: 1, max: 1000)
            case "values": w.values = try f.int(min: 1)
            case "mix": w.mix = try f.weights(of: ["read", "write", "cas"])
            case "check-timeout": w.checkTimeoutSeconds = try f.seconds(min: 0.001)
            case "key-check-timeout": w.keyCheckTimeoutSeconds = try f.seconds(min: 0.001)
            default: throw f.unknown(expected: Self.fields)
            }
        }
        if w.model == "register", (w.mix["cas"] ?? 0) > 0 {
            // The default mix has cas; a plain register drops it, unless the file asked for it.
            if let mix = section.field("mix") {
                throw mix.fail("the register model has no cas: give cas a weight of 0, or use model cas-register")
            }
            w.mix["cas"] = nil
        }
        return w
    }
}

/// A configured register workload.
public struct RegisterWorkload: Workload, Equatable {
    /// `cas-register` or `register`.
    public var model = "cas-register"
    public var opsPerKey = 200
    /// Workers that share a key at once: a small group keeps each key's history checkable.
    public var clientsPerKey = 5
    /// Values written are drawn from `0..<values`.
    public var values = 5
    /// Weights of `read`, `write` and `cas`.
    public var mix: [String: Double] = ["read": 2, "write": 1, "cas": 1]
    /// The checker's budget for the whole history.
    public var checkTimeoutSeconds: Double = 300
    /// The checker's budget for one key.
    public var keyCheckTimeoutSeconds: Double = 60

    public init() {}

    public var kind: String { "register" }

    public var functions: [String] { mix.filter { $0.value > 0 }.keys.sorted() }

    public func generator(seed: UInt64, worker: Int) -> any OpGenerator {
        RegisterGenerator(seed: seed, worker: worker, mix: mix, values: values)
    }

    public var checkers: [CheckerSpec] {
        [LinearizabilityPlugin.runSpec(model: model, timeoutSeconds: checkTimeoutSeconds, partitionTimeoutSeconds: keyCheckTimeoutSeconds)]
    }

    public var settings: [String: JSONValue] {
        [
            "kind": .string(kind), "model": .string(model), "opsPerKey": .int(Int64(opsPerKey)), "clientsPerKey": .int(Int64(clientsPerKey)),
            "values": .int(Int64(values)), "mix": .object(mix.mapValues { .double($0) }),
            "checkTimeoutSeconds": .double(checkTimeoutSeconds), "keyCheckTimeoutSeconds": .double(keyCheckTimeoutSeconds),
        ]
    }
}

/// One worker's register requests, reproducible from the run's seed and the worker number.
public struct RegisterGenerator: OpGenerator {
    private var rng: SplitMix
    private let functions: [(f: String, weight: Double)]
    private let total: Double
    private let values: Int

    public init(seed: UInt64, worker: Int, mix: [String: Double], values: Int) {
        var s = SplitMix(seed: seed ^ (UInt64(worker) &* 0x9E37_79B9_7F4A_7C15))
        _ = s.next()
        rng = s
        functions = mix.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { (f: $0.key, weight: $0.value) }
        total = functions.reduce(0) { $0 + $1.weight }
        self.values = max(1, values)
    }

    public mutating func next(keys: WorkerKeys) -> ClientRequest {
        next(key: keys.next())
    }

    /// The next request, on `key`.
    public mutating func next(key: String) -> ClientRequest {
        var pick = Double(rng.next() >> 11) / Double(1 << 53) * total
        var f = functions.last?.f ?? "read"
        for entry in functions {
            if pick < entry.weight {
                f = entry.f
                break
            }
            pick -= entry.weight
        }
        switch f {
        case "write":
            return ClientRequest(f: "write", key: key, value: .int(Int64(rng.next(below: values))))
        case "cas":
            let expected = JSONValue.int(Int64(rng.next(below: values)))
            return ClientRequest(f: "cas", key: key, value: .array([expected, .int(Int64(rng.next(below: values)))]))
        default:
            return ClientRequest(f: "read", key: key, value: .null)
        }
    }
}
