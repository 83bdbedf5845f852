import Basics
import Checkers
import Cluster
import ClusterTestKit
import Etcd
import Foundation
import Histories
import Plugins
import Runner
import Testing

/// A correct etcd at full speed, through the real runner on a real 3-node local cluster: with
/// the versions etcd returns, every key is decided (issue 9: 33 of 59 keys were undecided in 300 s).
@Suite(
    .serialized, .enabled(if: LocalClusterTrait.isRoot, LocalClusterTrait.needsRoot),
    .enabled(if: FileManager.default.isExecutableFile(atPath: EtcdConfig.debianBinaryPath), "needs Debian's etcd-server (/usr/bin/etcd)"),
    .localCluster(ClusterSpec(name: "vertest", netIndex: 191, nodeCount: 3)))
struct VersionsClusterTests {
    /// 30 clients, no rate limit, no faults, linearizable reads, `seconds` long.
    static func plan(seconds: Double, clientsPerKey: Int, faults: String = "[]", seed: Int = 1) throws -> TestPlan {
        try TestPlanParser(registry: BuiltIn.registry).parse("""
            name: versions
            client: {timeout: 1s}
            db: {reads: linearizable}
            workload: {clients-per-key: \(clientsPerKey), key-check-timeout: 60}
            concurrency: 30
            rate: 0
            time-limit: \(seconds)
            nemesis: {faults: \(faults), interval: 1.5, recovery: 2}
            seed: \(seed)
            """, file: "versions.yml")
    }

    /// Runs the plan on the suite's cluster and expects every key valid under the versioned
    /// model; prints what was run and how long the check took.
    static func expectDecided(clientsPerKey: Int, faults: String = "[]", seed: Int = 1) async throws {
        let (outcome, cluster) = try await RunFixture.run(try plan(seconds: 9, clientsPerKey: clientsPerKey, faults: faults, seed: seed))
        let folder = try #require(outcome.folder)
        #expect(outcome.verdict == .valid, "\(outcome)")
        let results = try String(contentsOfFile: folder.resultsJSON, encoding: .utf8)
        #expect(results.contains("model versioned-register (for cas-register"), "\(results.prefix(2000))")
        #expect(!results.contains("undecided"))
        let history = try HistoryReader.read(path: folder.history)
        let (versioned, total) = RegisterVersions.coverage(history.operations)
        #expect(total > 500 && versioned == total, "\(versioned) of \(total) ok operations carry a version")
        let check = try LinearizabilityPlugin().make(["model": "cas-register"]).check(history)
        print("versions run, \(clientsPerKey) clients per key, faults \(faults), seed \(seed): \(RunFixture.infoCount(history)) info, \(total) ok ops, \(history.keys.count) keys, check \(check.elapsedSeconds) s; history \(folder.history)")
        try await RunFixture.expectClean(cluster)
    }

    @Test("30 clients at full speed on a correct etcd: every key valid, checked with the versioned model")
    func fullSpeedIsDecided() async throws {
        try await Self.expectDecided(clientsPerKey: 5)
    }

    @Test("30 clients on ONE key at a time at full speed: still decided with versions (the plain model leaves most keys undecided)")
    func thirtyClientsOnOneKey() async throws {
        try await Self.expectDecided(clientsPerKey: 30)
    }

    @Test("with partitions, kills and pauses (info writes of unknown version): still valid and decided", arguments: [1, 2])
    func faultsAreDecided(seed: Int) async throws {
        try await Self.expectDecided(clientsPerKey: 10, faults: "[partition, kill, pause]", seed: seed)
    }
}

extension RunFixture {
    /// Client completions whose outcome is unknown.
    static func infoCount(_ history: History) -> Int {
        history.operations.filter { $0.type == .info && $0.process != .nemesis }.count
    }
}
