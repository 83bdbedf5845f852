/// What a run report says about the run itself: the workload, the cluster, the faults asked for.
///
/// The runner fills it in; every field is optional except the workload's name, and the report
/// leaves out what is empty. `notes` are shown prominently, before the numbers: put there anything
/// that changes how the result should be read (a fault that did not take effect, a node that never
/// came up, a run cut short).
public struct RunMetadata: Sendable, Equatable {
    /// The workload's name, e.g. `etcd-register`.
    public var workload: String
    /// The seed that reproduces the schedule.
    public var seed: UInt64?
    /// The nodes the test ran against.
    public var nodes: [String]
    /// The system under test, e.g. `etcd`.
    public var database: String?
    /// Its version, as the nodes reported it.
    public var databaseVersion: String?
    /// When the run started, as text (the runner formats it; the report does not read clocks).
    public var startDate: String?
    /// The time limit of the client phase, seconds.
    public var timeLimitSeconds: Double?
    /// The kinds of faults scheduled, e.g. `partition`, `kill`, `clock`.
    public var nemeses: [String]
    /// The results folder.
    public var resultsPath: String?
    /// Warnings to read before the numbers, one sentence each, e.g. "clock faults did not reach
    /// etcd: it reads time through the vDSO, not libc".
    public var notes: [String]
    /// Fault family name → the colour its intervals are drawn in (from the fault registry; the
    /// report itself knows no fault). Kinds not in it get a palette colour picked by name.
    public var faultColours: [String: String]

    public init(
        workload: String, seed: UInt64? = nil, nodes: [String] = [], database: String? = nil,
        databaseVersion: String? = nil, startDate: String? = nil, timeLimitSeconds: Double? = nil,
        nemeses: [String] = [], resultsPath: String? = nil, notes: [String] = [], faultColours: [String: String] = [:]
    ) {
        self.workload = workload
        self.seed = seed
        self.nodes = nodes
        self.database = database
        self.databaseVersion = databaseVersion
        self.startDate = startDate
        self.timeLimitSeconds = timeLimitSeconds
        self.nemeses = nemeses
        self.resultsPath = resultsPath
        self.notes = notes
        self.faultColours = faultColours
    }

    /// The metadata as label and value pairs, in display order, leaving out empty fields.
    var rows: [(label: String, value: String)] {
        var out: [(String, String)] = [("workload", workload)]
        if let database {
            out.append(("database", databaseVersion.map { "\(database) \($0)" } ?? database))
        } else if let databaseVersion {
            out.append(("database version", databaseVersion))
        }
        if !nodes.isEmpty { out.append(("nodes", "\(nodes.count): " + nodes.joined(separator: ", "))) }
        out.append(("nemesis", nemeses.isEmpty ? "none" : nemeses.joined(separator: ", ")))
        if let seed { out.append(("seed", String(seed))) }
        if let startDate { out.append(("started", startDate)) }
        if let s = timeLimitSeconds {
            out.append(("time limit", LatencyPercentiles.fixed(s, s == s.rounded() ? 0 : 3) + " s"))
        }
        if let resultsPath { out.append(("results", resultsPath)) }
        return out
    }
}
