import Basics
import Checkers
import Control
import Foundation
import Results
import Systems

/// One run of `schism test`: set up the system, drive clients under faults, heal, check, report.
///
/// Every way out (the time limit, an error, SIGINT or SIGTERM) heals the faults it started and
/// writes what it has into the results folder; analysis runs even when teardown fails.
public struct TestRun: Sendable {
    public let plan: TestPlan
    public let seed: UInt64
    public let cluster: TestCluster
    public let registry: PluginRegistry
    public let resultsRoot: String

    public init(plan: TestPlan, seed: UInt64, cluster: TestCluster, registry: PluginRegistry, resultsRoot: String) {
        self.plan = plan
        self.seed = seed
        self.cluster = cluster
        self.registry = registry
        self.resultsRoot = resultsRoot
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        /// The verdict, when the history was checked.
        public var verdict: Verdict?
        public var folder: RunFolder?
        /// 0/1/2 for a verdict; other ``ExitStatus`` codes otherwise (see docs/cli.md).
        public var exitCode: Int32
        /// The reason the run itself failed, if it did.
        public var failure: String?
    }

    /// Runs the test; `say` prints a line for the person watching. `clock` is the run's time
    /// (made when the run starts unless a test gives its own).
    public func run(stop: StopSignal, clock: (any RunClock)? = nil, say: @escaping @Sendable (String) -> Void) async -> Outcome {
        let folder: RunFolder
        do { folder = try RunFolder.create(root: resultsRoot, workload: plan.name) } catch {
            return Outcome(verdict: nil, folder: nil, exitCode: ExitStatus.cannotCreate,
                           failure: "cannot create the results folder under \(resultsRoot): \(error.localizedDescription)")
        }
        let clock = clock ?? SystemRunClock()
        let log = RunLog(path: folder.log, clock: clock, echo: say)
        defer { log.close() }
        log.info("schism test \(plan.name): \(plan.systemName), \(plan.workload.kind) workload, seed \(seed), \(cluster.nodes.count) nodes (\(cluster.nodes.map(\.name).joined(separator: ", "))), results in \(folder.path)")
        let phases = RunPhases(run: self, folder: folder, log: log, stop: stop, clock: clock)
        return await phases.execute()
    }
}
