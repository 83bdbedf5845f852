/// Everything a test run needs to know, from a workload file and command-line overrides.
///
/// The YAML schema is in docs/workload.md; `WorkloadParser` reads it and names the line and
/// field of every mistake.
public struct Workload: Sendable, Equatable {
    /// The workload's name, used for the results folder (`results/<name>/<timestamp>`).
    public var name: String
    /// The system under test (`etcd`).
    public var system: String
    /// The server binary on the controller, uploaded to every node (nil: the system's default).
    public var binary: String?
    /// Client reads: `linearizable` (etcd's default) or `serializable` (may be stale).
    public var reads: String
    /// Per-request timeout.
    public var requestTimeoutSeconds: Double
    /// The consistency model to check (`cas-register`).
    public var model: String
    /// Operations per key before workers move to a fresh key.
    public var opsPerKey: Int
    /// Register values written are drawn from `0..<values`.
    public var values: Int
    /// The mix of functions, as weights (`read`, `write`, `cas`).
    public var mix: [String: Double]
    /// Concurrent clients (workers).
    public var concurrency: Int
    /// Total operations per second across workers (0: as fast as the system answers).
    public var rate: Double
    /// How long clients run, not counting setup, recovery and final reads.
    public var timeLimitSeconds: Double
    /// Fault kinds: `partition`, `kill`, `pause`, `clock`, `loss`.
    public var nemeses: [String]
    /// Seconds between a fault's start and its heal, and between a heal and the next fault.
    public var nemesisIntervalSeconds: Double
    /// How long to wait after healing before the final reads.
    public var recoverySeconds: Double
    /// Read every key once at the end, after healing.
    public var finalReads: Bool
    /// The seed of operations and faults (nil: drawn at random, printed and stored).
    public var seed: UInt64?

    /// The names of the fault kinds Schism knows.
    public static let nemesisKinds = ["partition", "kill", "pause", "clock", "loss"]

    /// The built-in default: etcd, a cas-register, every fault, one minute.
    public init(
        name: String = "etcd-register", system: String = "etcd", binary: String? = nil,
        reads: String = "linearizable", requestTimeoutSeconds: Double = 1, model: String = "cas-register",
        opsPerKey: Int = 200, values: Int = 5, mix: [String: Double] = ["read": 2, "write": 1, "cas": 1],
        concurrency: Int = 10, rate: Double = 200, timeLimitSeconds: Double = 60,
        nemeses: [String] = ["partition", "kill", "pause", "clock", "loss"], nemesisIntervalSeconds: Double = 10,
        recoverySeconds: Double = 5, finalReads: Bool = true, seed: UInt64? = nil
    ) {
        self.name = name
        self.system = system
        self.binary = binary
        self.reads = reads
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.model = model
        self.opsPerKey = opsPerKey
        self.values = values
        self.mix = mix
        self.concurrency = concurrency
        self.rate = rate
        self.timeLimitSeconds = timeLimitSeconds
        self.nemeses = nemeses
        self.nemesisIntervalSeconds = nemesisIntervalSeconds
        self.recoverySeconds = recoverySeconds
        self.finalReads = finalReads
        self.seed = seed
    }
}
