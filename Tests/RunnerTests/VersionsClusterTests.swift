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
    static func plan(seconds: Double, clientsPerKey: Int) throws -> TestPlan {
        try TestPlanParser(registry: BuiltIn.registry).parse("""
            name: versions
            client: {timeout: 1s}
            db: {reads: linearizable}
            workload: {clients-per-key: \(clientsPerKey), key-check-timeout: 60}
            concurrency: 30
            rate: 0
            time-limit: \(seconds)
            nemesis: {faults: []}
            """, file: "versions.yml")
    }

    /// Runs the plan on the suite's cluster and expects every key valid under the versioned
    /// model; prints what was run and how long the check took.
    static func expectDecided(clientsPerKey: Int) async throws {
        let (outcome, cluster) = try await RunFixture.run(try plan(seconds: 9, clientsPerKey: clientsPerKey))
        let folder = try #require(outcome.folder)
        #expect(outcome.verdict == .valid, "\(outcome)")
        let results = try String(contentsOfFile: folder.resultsJSON, encoding: .utf8)
        #expect(results.contains("model versioned-register (for cas-register"), "\(results.prefix(2000))")
        #expect(!results.contains("undecided"))
        let history = try HistoryReader.read(path: folder.history)
        let (versioned, total) = RegisterVersions.coverage(history.operations)
        #expect(total > 500 && versioned == total, "\(versioned) of \(total) ok operations carry a version")
        let check = try LinearizabilityPlugin().make(["model": "cas-register"]).check(history)
        print("versions run, \(clientsPerKey) clients per key: \(total) ok ops, \(history.keys.count) keys, check \(check.elapsedSeconds) s; history \(folder.history)")
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
}
