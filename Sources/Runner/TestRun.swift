import Basics
import Checkers
import Control
import Systems
import Foundation
import Faults
import Results

/// One run of `schism test`: set up the system, drive clients under faults, heal, check, report.
///
/// Every way out (the time limit, an error, SIGINT or SIGTERM) heals the faults it started and
/// writes what it has into the results folder; analysis runs even when teardown fails.
public struct TestRun: Sendable {
    public let workload: Workload
    public let seed: UInt64
    public let cluster: TestCluster
    public let database: any SystemUnderTest
    public let clients: any ClientFactory
    public let resultsRoot: String

    public init(
        workload: Workload, seed: UInt64, cluster: TestCluster, database: any SystemUnderTest, clients: any ClientFactory,
        resultsRoot: String
    ) {
        self.workload = workload
        self.seed = seed
        self.cluster = cluster
        self.database = database
        self.clients = clients
        self.resultsRoot = resultsRoot
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        /// The verdict, when the history was checked.
        public var verdict: Verdict?
        public var folder: RunFolder?
        /// 0/1/2 for a verdict; `RunFailure` codes otherwise (see docs/cli.md).
        public var exitCode: Int32
        /// The reason the run itself failed, if it did.
        public var failure: String?
    }

    /// Runs the test; `say` prints a line for the person watching.
    public func run(stop: StopSignal, say: @escaping @Sendable (String) -> Void) async -> Outcome {
        let folder: RunFolder
        do { folder = try RunFolder.create(root: resultsRoot, workload: workload.name) } catch {
            return Outcome(verdict: nil, folder: nil, exitCode: ExitStatus.cannotCreate,
                           failure: "cannot create the results folder under \(resultsRoot): \(error.localizedDescription)")
        }
        let start = ContinuousClock.now
        let log = RunLog(path: folder.log, start: start, echo: say)
        defer { log.close() }
        log.info("schism test \(workload.name): seed \(seed), \(cluster.nodes.count) nodes (\(cluster.nodes.map(\.name).joined(separator: ", "))), results in \(folder.path)")
        let phases = RunPhases(run: self, folder: folder, log: log, stop: stop, start: start)
        return await phases.execute()
    }
}
