import ArgumentParser
import Basics
import Control
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

    @Argument(help: "The workload file (YAML). Default: Workloads/etcd-register.yml if present, else the built-in default.")
    var workload: String?

    @OptionGroup var nodeOptions: NodeOptions

    @Option(help: "Seconds of client operations (overrides time-limit), e.g. 300 or 5m.")
    var timeLimit: String?

    @Option(help: "Faults, comma-separated: partition, kill, pause, clock, loss, a specific kind (partition-one, ...), or none.")
    var nemesis: String?

    @Option(help: "Time between a fault's start and its heal, e.g. 10s.")
    var nemesisInterval: String?

    @Option(help: "Concurrent clients.")
    var concurrency: Int?

    @Option(help: "Total operations per second (0: as fast as possible).")
    var rate: Double?

    @Option(help: "Client reads: linearizable or serializable.")
    var reads: String?

    @Option(help: "The seed of operations and faults (default: random, printed and stored).")
    var seed: UInt64?

    @Option(help: "The folder that holds results.")
    var results = "results"

    func run() async throws {
        var w = try loadWorkload()
        try applyOverrides(&w)
        let nodesFile: NodesFile
        do { nodesFile = try nodeOptions.resolve() } catch { throw controlExit(for: error) }
        let seed = w.seed ?? UInt64.random(in: 0...UInt64(Int64.max))
        let cluster = TestCluster(nodes: nodesFile.nodes, remotes: RemoteSet(nodesFile: nodesFile, options: nodeOptions.sshOptions))
        let database = EtcdDatabase(config: EtcdConfig(binaryPath: w.binary ?? EtcdConfig.debianBinaryPath))
        guard FileManager.default.isExecutableFile(atPath: database.config.binaryPath) else {
            throw exitWith(UserFacingError(
                message: "no etcd binary at \(database.config.binaryPath); install Debian's etcd-server (apt-get install etcd-server) or set db.binary in the workload",
                code: ExitStatus.noInput))
        }
        let clients = EtcdClientFactory(serializableReads: w.reads == "serializable")
        let stop = StopSignal()
        stop.install()
        let outcome = await TestRun(workload: w, seed: seed, cluster: cluster, database: database, clients: clients, resultsRoot: results)
            .run(stop: stop) { print($0) }
        if let verdict = outcome.verdict {
            print("\nverdict: \(verdict.rawValue.uppercased())")
        }
        if let failure = outcome.failure { printError("schism: \(failure)") }
        if let folder = outcome.folder {
            print("results: \(folder.path)  (report: \(folder.reportText), \(folder.reportHTML))")
            print("seed: \(seed)  (rerun with --seed \(seed))")
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    private func loadWorkload() throws -> Workload {
        let path = workload ?? (FileManager.default.fileExists(atPath: "Workloads/etcd-register.yml") ? "Workloads/etcd-register.yml" : nil)
        guard let path else { return Workload() }
        guard FileManager.default.fileExists(atPath: path) else {
            throw exitWith(UserFacingError(message: "\(path): no such workload file", code: ExitStatus.noInput))
        }
        do { return try WorkloadParser.read(path: path) } catch {
            throw exitWith(UserFacingError(message: error.description, code: ExitStatus.dataError))
        }
    }

    private func applyOverrides(_ w: inout Workload) throws {
        func seconds(_ text: String, _ flag: String) throws -> Double {
            guard let s = Duration.parseSeconds(text), s > 0 else {
                throw ValidationError("\(flag) \(text) is not a duration; write e.g. 60, 30s or 5m")
            }
            return s
        }
        if let timeLimit { w.timeLimitSeconds = try seconds(timeLimit, "--time-limit") }
        if let nemesisInterval { w.nemesisIntervalSeconds = try seconds(nemesisInterval, "--nemesis-interval") }
        if let nemesis {
            let names = nemesis.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            do { w.nemeses = try Workload.checkedFaultNames(names) } catch { throw ValidationError("--nemesis: \(error)") }
        }
        if let concurrency {
            guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
            w.concurrency = concurrency
        }
        if let rate {
            guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 or more") }
            w.rate = rate
        }
        if let reads {
            guard ["linearizable", "serializable"].contains(reads) else { throw ValidationError("--reads takes linearizable or serializable") }
            w.reads = reads
        }
        if let seed { w.seed = seed }
    }
}
