import Basics
import ClusterTestKit
import Control
import Foundation
import Plugins
import Runner
import Systems
import Testing

/// Whole `schism test` runs of Redis on the suite's cluster.
extension RedisClusterTests {
    /// A short Redis register workload.
    static func plan(seconds: Double, faults: [String], interval: Double = 4, db: String = "") throws -> TestPlan {
        try TestPlanParser(registry: BuiltIn.registry).parse("""
            name: redis-itest
            db: {system: redis\(db.isEmpty ? "" : ", " + db)}
            client: {timeout: 500ms}
            workload: {kind: register, ops-per-key: 100}
            concurrency: 6
            rate: 150
            time-limit: \(seconds)
            nemesis: {faults: [\(faults.joined(separator: ", "))], interval: \(interval), recovery: 3}
            """, file: "redis-itest.yml")
    }

    /// Runs `plan` with `seed` on the suite's cluster.
    static func run(_ plan: TestPlan, seed: UInt64) async throws -> (TestRun.Outcome, String) {
        let nodes = try LocalClusterTrait.nodes()
        let cluster = TestCluster(nodes: nodes.nodes, remotes: RemoteSet(nodesFile: nodes))
        let root = NSTemporaryDirectory() + "schism-redis-\(UUID().uuidString)"
        let run = TestRun(plan: plan, seed: seed, cluster: cluster, registry: BuiltIn.registry, resultsRoot: root)
        let outcome = await run.run(stop: StopSignal()) { _ in }
        await cluster.remotes.closeAll()
        return (outcome, root)
    }

    @Test("Redis with no faults is VALID")
    func validWithoutFaults() async throws {
        let started = ContinuousClock.now
        let (outcome, _) = try await Self.run(try Self.plan(seconds: 8, faults: []), seed: 1)
        print("redis no-fault run: \(ContinuousClock.now - started), \(outcome)")
        #expect(outcome.verdict == .valid, "\(outcome)")
        #expect(outcome.exitCode == 0)
        let folder = try #require(outcome.folder)
        #expect(FileManager.default.fileExists(atPath: folder.nodeFolder("n1") + "/sentinel.log"))
        #expect(FileManager.default.fileExists(atPath: folder.nodeFolder("n1") + "/redis.log"))
    }
}

extension RedisClusterTests {
    @Test("a partition that isolates the primary loses acknowledged writes after Sentinel's failover: INVALID")
    func partitionedPrimaryIsInvalid() async throws {
        // partition-halves cuts the first node (the primary) off from the two others; the
        // Sentinels there promote a replica while the old primary keeps acknowledging writes
        // from the workers whose Sentinel is on its side; it discards them when it rejoins.
        let started = ContinuousClock.now
        let (outcome, _) = try await Self.run(try Self.plan(seconds: 14, faults: ["partition-halves"], interval: 4), seed: 7)
        print("redis partition run: \(ContinuousClock.now - started), \(outcome)")
        #expect(outcome.verdict == .invalid, "\(outcome)")
        #expect(outcome.exitCode == 1)
        let folder = try #require(outcome.folder)
        let report = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(report.contains("is not linearizable"), "\(report.prefix(3000))")
        let journal = try String(contentsOfFile: folder.faults, encoding: .utf8)
        #expect(journal.contains("\"start-partition\""))
    }
}
