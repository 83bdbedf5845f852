import ArgumentParser
import Basics
import Config
import Control
import Plugins
import Systems
import Foundation
import Results
import Runner

/// `schism test`: deploy the system, drive a workload under faults, check it, report.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a workload against a cluster under faults, check the history, write a report.",
        discussion: """
            Without --nodes or --nodes-file the local cluster is used (`schism cluster up` first). \
            Flags override the workload file. With --test-count N the test runs N times, one \
            after another, and a summary ends the output (as schism test-all). Exit status: 0 \
            valid, 1 invalid, 2 unknown; 64 bad arguments, 65 a bad workload file, 66 a missing \
            file, 69 a node or the system under test unreachable or not starting, 70 an internal \
            error, 73 results not writable, 130/143 stopped by SIGINT/SIGTERM (faults healed, \
            results written). With --test-count, the worst status of all runs.
            """)

    @Argument(help: "The workload file (YAML). Default: \(BuiltIn.defaultWorkloadFile) if present, else the built-in defaults.")
    var workload: String?

    @OptionGroup var options: TestOptions

    func validate() throws { try options.validate() }

    func run() async throws {
        let path = workload ?? (FileManager.default.fileExists(atPath: BuiltIn.defaultWorkloadFile) ? BuiltIn.defaultWorkloadFile : nil)
        let series = try TestSeries(options: options, workloads: [path])
        let code = await series.run(summary: options.testCount > 1)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `schism test-all`: several workload files, each `--test-count` times, on the same cluster.
struct TestAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-all",
        abstract: "Run several workload files, each --test-count times, one after another on the same cluster; print a summary.",
        discussion: """
            Every workload file is read before the first run starts, so that a typo stops the \
            series at once. The runs go one after another on the same nodes; SIGINT or SIGTERM \
            stops the current run cleanly (faults healed, results written) and no other run starts. \
            The summary lists the successful, unknown, crashed and failed runs with their folders. \
            Exit status: the worst of all runs (stopped by a signal, then a crash, then invalid 1, \
            then unknown 2, then valid 0); 64/65/66 for a bad argument or workload file before any run.
            """)

    @Argument(help: "The workload files (YAML).")
    var workloads: [String]

    @OptionGroup var options: TestOptions

    func validate() throws {
        guard !workloads.isEmpty else { throw ValidationError("give at least one workload file, e.g. \(BuiltIn.defaultWorkloadFile)") }
        try options.validate()
    }

    func run() async throws {
        let series = try TestSeries(options: options, workloads: workloads.map { Optional($0) })
        let code = await series.run(summary: true)
        if code != 0 { throw ExitCode(code) }
    }
}

/// The options of `schism test` and `schism test-all`: the nodes, overrides of the workload file, the results folder.
struct TestOptions: ParsableArguments {
    @OptionGroup var nodeOptions: NodeOptions

    @Option(help: "Seconds of client operations (overrides time-limit), e.g. 300 or 5m.")
    var timeLimit: String?

    @Option(help: "Faults, comma-separated: partition, kill, pause, clock, loss, a specific kind (partition-one, ...), or none.")
    var nemesis: String?

    @Option(help: "Time between a fault's start and its heal, e.g. 10s.")
    var nemesisInterval: String?

    @Option(parsing: .unconditional, help: "Concurrent clients (1 to 1000).")
    var concurrency: String?

    @Option(parsing: .unconditional, help: "Total operations per second (0: as fast as possible).")
    var rate: String?

    @Option(help: "Client reads, for systems whose client offers a choice (sets db.reads; etcd: linearizable or serializable).")
    var reads: String?

    @Option(help: "Transaction isolation level, for systems that offer one (sets db.isolation; postgres: read-committed, repeatable-read or serializable).")
    var isolation: String?

    @Option(parsing: .unconditional, help: "The seed of operations and faults (default: random for each run, printed and stored).")
    var seed: String?

    @Option(help: "The folder that holds results.")
    var results = "results"

    @Option(parsing: .unconditional, help: "Run each workload this many times, one after another (1 to 10000).")
    var testCount = 1

    func validate() throws {
        guard (1...10_000).contains(testCount) else {
            throw ValidationError("--test-count \(testCount) is out of range; give 1 to 10000")
        }
    }

    /// The flags as overrides of the workload file's fields, validated with the file's own rules.
    var overrides: [TestPlanParser.Override] {
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
}

/// Runs of one or more workload files, each `testCount` times, one after another on one cluster.
struct TestSeries {
    let options: TestOptions
    /// The plans, read before the first run (nil path: the built-in defaults).
    let plans: [TestPlan]
    let nodesFile: NodesFile
    let registry = BuiltIn.registry

    /// Reads every workload file and the nodes; throws (printing why) when one cannot be used.
    init(options: TestOptions, workloads: [String?]) throws {
        self.options = options
        let parser = TestPlanParser(registry: registry)
        plans = try workloads.map { try Self.loadPlan($0, parser: parser, overrides: options.overrides) }
        do { nodesFile = try options.nodeOptions.resolve() } catch { throw controlExit(for: error) }
    }

    /// Runs everything; with `summary`, prints the summary; returns the worst exit status.
    func run(summary: Bool) async -> Int32 {
        let cluster = TestCluster(nodes: nodesFile.nodes, remotes: RemoteSet(nodesFile: nodesFile, options: options.nodeOptions.sshOptions))
        let stop = StopSignal()
        stop.install()
        var runs: [SeriesSummary.Run] = []
        series: for plan in plans {
            for i in 0..<options.testCount {
                if stop.isSet { break series }
                if summary { printNow("\n== \(plan.name): run \(i + 1) of \(options.testCount)") }
                let seed = plan.seed ?? UInt64.random(in: 0...UInt64(Int64.max))
                let outcome = await TestRun(plan: plan, seed: seed, cluster: cluster, registry: registry, resultsRoot: options.results)
                    .run(stop: stop) { printNow($0) }
                // The verdict was printed by the analysis, last in its log (and in the run's log file).
                if let failure = outcome.failure { printError("schism: \(failure)") }
                if let folder = outcome.folder {
                    printNow("results: \(folder.path)  (report: \(folder.reportText), \(folder.reportHTML))")
                    printNow("seed: \(seed)  (rerun with --seed \(seed))")
                }
                runs.append(SeriesSummary.Run(workload: plan.name, folder: outcome.folder?.path, exitCode: outcome.exitCode))
            }
        }
        let result = SeriesSummary(runs: runs, stopped: stop.isSet ? stop.signal : nil)
        if summary { printNow("\n" + result.text) }
        return result.exitCode
    }

    private static func loadPlan(_ path: String?, parser: TestPlanParser, overrides: [TestPlanParser.Override]) throws -> TestPlan {
        let fm = FileManager.default
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
