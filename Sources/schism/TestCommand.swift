import ArgumentParser
import Basics
import Config
import Control
import Plugins
import Systems
import Foundation
import Runner

/// `schism test`: deploy the system, drive a workload under faults, check it, report.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a workload against a cluster under faults, check the history, write a report.",
        discussion: """
            Without --nodes or --nodes-file the local cluster is used (`schism cluster up` first). \
            Flags override the workload file. Exit status: 0 valid, 1 invalid, 2 unknown; \
            64 bad arguments, 65 a bad workload file, 66 a missing file, 69 a node or the system \
            under test unreachable or not starting, 70 an internal error, 73 results not writable, \
            130/143 stopped by SIGINT/SIGTERM (faults healed, results written).
            """)

    @Argument(help: "The workload file (YAML). Default: \(BuiltIn.defaultWorkloadFile) if present, else the built-in defaults.")
    var workload: String?

    @OptionGroup var nodeOptions: NodeOptions

    @Option(help: "Seconds of client operations (overrides time-limit), e.g. 300 or 5m.")
    var timeLimit: String?

    @Option(help: "Faults, comma-separated: partition, kill, pause, clock, loss, a specific kind (partition-one, ...), or none.")
    var nemesis: String?

    @Option(help: "Time between a fault's start and its heal, e.g. 10s.")
    var nemesisInterval: String?

    @Option(help: "Concurrent clients (1 to 1000).")
    var concurrency: String?

    @Option(help: "Total operations per second (0: as fast as possible).")
    var rate: String?

    @Option(help: "Client reads, for systems whose client offers a choice (sets db.reads; etcd: linearizable or serializable).")
    var reads: String?

    @Option(help: "Transaction isolation level, for systems that offer one (sets db.isolation; postgres: read-committed, repeatable-read or serializable).")
    var isolation: String?

    @Option(help: "The seed of operations and faults (default: random, printed and stored).")
    var seed: String?

    @Option(help: "The folder that holds results.")
    var results = "results"

    func run() async throws {
        let registry = BuiltIn.registry
        let plan = try loadPlan(registry: registry)
        let nodesFile: NodesFile
        do { nodesFile = try nodeOptions.resolve() } catch { throw controlExit(for: error) }
        let seed = plan.seed ?? UInt64.random(in: 0...UInt64(Int64.max))
        let cluster = TestCluster(nodes: nodesFile.nodes, remotes: RemoteSet(nodesFile: nodesFile, options: nodeOptions.sshOptions))
        let stop = StopSignal()
        stop.install()
        let outcome = await TestRun(plan: plan, seed: seed, cluster: cluster, registry: registry, resultsRoot: results)
            .run(stop: stop) { printNow($0) }
        if let verdict = outcome.verdict {
            printNow("\nverdict: \(verdict.rawValue.uppercased())")
        }
        if let failure = outcome.failure { printError("schism: \(failure)") }
        if let folder = outcome.folder {
            printNow("results: \(folder.path)  (report: \(folder.reportText), \(folder.reportHTML))")
            printNow("seed: \(seed)  (rerun with --seed \(seed))")
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// The flags as overrides of the workload file's fields, validated with the file's own rules.
    private var overrides: [TestPlanParser.Override] {
        var out: [TestPlanParser.Override] = []
        if let timeLimit { out.append(.init("time-limit", timeLimit, flag: "--time-limit")) }
        if let nemesisInterval { out.append(.init("nemesis.interval", nemesisInterval, flag: "--nemesis-interval")) }
        if let nemesis { out.append(.init("nemesis.faults", nemesis, flag: "--nemesis")) }
        if let concurrency { out.append(.init("concurrency", String(concurrency), flag: "--concurrency")) }
        if let rate { out.append(.init("rate", rate, flag: "--rate")) }
        if let reads { out.append(.init("db.reads", reads, flag: "--reads")) }
        if let isolation { out.append(.init("db.isolation", isolation, flag: "--isolation")) }
        if let seed { out.append(.init("seed", String(seed), flag: "--seed")) }
        return out
    }

    private func loadPlan(registry: PluginRegistry) throws -> TestPlan {
        let fm = FileManager.default
        let path = workload ?? (fm.fileExists(atPath: BuiltIn.defaultWorkloadFile) ? BuiltIn.defaultWorkloadFile : nil)
        let parser = TestPlanParser(registry: registry)
        do {
            guard let path else { return try parser.parse("{}", file: "(built-in default)", overrides: overrides) }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw exitWith(UserFacingError(message: "\(path): no such workload file", code: ExitStatus.noInput))
            }
            guard !isDir.boolValue else {
                throw exitWith(UserFacingError(message: "\(path) is a folder; give a workload file (YAML), e.g. \(BuiltIn.defaultWorkloadFile)", code: ExitStatus.noInput))
            }
            return try parser.read(path: path, overrides: overrides)
        } catch let error as ConfigError {
            throw exitWith(UserFacingError(message: error.description, code: error.file.hasPrefix("--") ? ExitStatus.usage : ExitStatus.dataError))
        }
    }
}
