import Basics
import Systems
import Workloads

/// Everything a test run needs to know, from a workload file, flags and the plug-in registry.
///
/// The file's schema is in docs/workload.md; ``TestPlanParser`` reads it, asking the registry's
/// system and workload kind to read their own sections.
public struct TestPlan: Sendable {
    /// The workload's name, used for the results folder (`results/<name>/<timestamp>`).
    public var name: String
    /// The system's registry name (`db.system`).
    public var systemName: String
    /// The system and its clients, as its plug-in configured them.
    public var system: ConfiguredSystem
    /// The workload, as its kind configured it.
    public var workload: any Workload
    /// Per-request timeout (`client.timeout`).
    public var requestTimeoutSeconds: Double = 1
    /// Concurrent clients (workers).
    public var concurrency: Int = 10
    /// Total operations per second across workers (0: as fast as the system answers).
    public var rate: Double = 200
    /// How long clients run, not counting setup, recovery and final reads.
    public var timeLimitSeconds: Double = 60
    /// The fault names as written (`nemesis.faults`): families, kinds or aliases; default: every family.
    public var faults: [String] = []
    /// The fault kinds to schedule, resolved from ``faults`` by the fault registry.
    public var faultKinds: [String] = []
    /// Seconds between a fault's start and its heal, and between a heal and the next fault.
    public var nemesisIntervalSeconds: Double = 10
    /// How long to wait after healing before the final reads.
    public var recoverySeconds: Double = 5
    /// Read the final state (the workload's final requests) after healing.
    public var finalReads: Bool = true
    /// The seed of operations and faults (nil: drawn at random, printed and stored).
    public var seed: UInt64?

    public init(name: String, systemName: String, system: ConfiguredSystem, workload: any Workload) {
        self.name = name
        self.systemName = systemName
        self.system = system
        self.workload = workload
    }

    /// The plan as JSON, for `test.json`.
    public var json: JSONValue {
        .object([
            "name": .string(name),
            "system": .object(["name": .string(systemName), "settings": .object(system.settings)]),
            "workload": .object(workload.settings),
            "requestTimeoutSeconds": .double(requestTimeoutSeconds), "concurrency": .int(Int64(concurrency)),
            "rate": .double(rate), "timeLimitSeconds": .double(timeLimitSeconds),
            "nemeses": .array(faults.map { .string($0) }),
            "faultKinds": .array(faultKinds.map { .string($0) }),
            "nemesisIntervalSeconds": .double(nemesisIntervalSeconds),
            "recoverySeconds": .double(recoverySeconds), "finalReads": .bool(finalReads),
        ])
    }
}
