import Basics
import Cluster
import ClusterTestKit
import Control
import Foundation
import Postgres
import Runner
import Systems
import Testing

/// PostgreSQL on a real 3-node local cluster: list-append transactions at repeatable read
/// (snapshot isolation: write skew) and serializable, and the lifecycle by PID.
@Suite(
    .serialized, .enabled(if: LocalClusterTrait.isRoot, LocalClusterTrait.needsRoot),
    .enabled(if: FileManager.default.isExecutableFile(atPath: PostgresConfig().serverBinary), "needs Debian's postgresql"),
    .localCluster(ClusterSpec(name: "pgtest", netIndex: 184, nodeCount: 3)))
struct PostgresClusterTests {
    /// Contention that shows write skew: 3 keys, transactions of 2-4 micro-operations that read
    /// several keys and append to others, 10 clients as fast as the server answers.
    static func workload(isolation: String, seconds: Int = 12, faults: String = "[]") -> String {
        """
        name: pg
        db: {system: postgres, isolation: \(isolation)}
        client: {timeout: 1s}
        workload: {kind: list-append, key-count: 3, min-txn-length: 2, max-txn-length: 4, max-writes-per-key: 64, consistency: serializable}
        concurrency: 10
        rate: 0
        time-limit: \(seconds)
        nemesis: {faults: \(faults), interval: 3, recovery: 1}
        """
    }

    @Test func repeatableReadShowsWriteSkew() async throws {
        let (outcome, _) = try await TxnRunFixture.run(try TxnRunFixture.plan(Self.workload(isolation: "repeatable-read")))
        let folder = try #require(outcome.folder, "\(outcome)")
        let ops = try TxnRunFixture.operations(folder.history)
        let types = TxnRunFixture.expectShape(ops, write: "append")
        #expect((types["ok"] ?? 0) > 50, "\(types)")
        // Concurrent appends to one key: "could not serialize access due to concurrent update".
        #expect((types["fail"] ?? 0) > 0, "\(types)")
        if TxnRunFixture.hasListAppendChecker {
            #expect(outcome.verdict == .invalid, "\(outcome)")
            let (serializable, kinds) = try TxnRunFixture.anomalies(folder, consistency: "serializable")
            #expect(serializable == .invalid)
            #expect(kinds.contains("G2-item"), "\(kinds)")
            let (si, siKinds) = try TxnRunFixture.anomalies(folder, consistency: "snapshot-isolation")
            #expect(si == .valid, "\(siKinds)")
        }
    }

    @Test func serializableIsValidAndRefusesSome() async throws {
        let (outcome, _) = try await TxnRunFixture.run(try TxnRunFixture.plan(Self.workload(isolation: "serializable")))
        let folder = try #require(outcome.folder, "\(outcome)")
        let ops = try TxnRunFixture.operations(folder.history)
        let types = TxnRunFixture.expectShape(ops, write: "append")
        #expect((types["ok"] ?? 0) > 50, "\(types)")
        #expect((types["fail"] ?? 0) > 0, "serialization failures expected: \(types)")
        #expect(ops.contains { ($0["error"]?.stringValue ?? "").hasPrefix("40001") }, "no serialization failure (40001)")
        if TxnRunFixture.hasListAppendChecker {
            #expect(outcome.verdict == .valid, "\(outcome)")
        }
    }

    @Test func killPauseAndRestartByPID() async throws {
        let nodes = try LocalClusterTrait.nodes()
        let cluster = TestCluster(nodes: nodes.nodes, remotes: RemoteSet(nodesFile: nodes))
        let system = PostgresSystem()
        let primary = cluster.nodes[0]
        try await system.setup(cluster)
        let first = try await system.status(primary, in: cluster)
        #expect(first.hasPrefix("running "))
        #expect(try await system.status(cluster.nodes[1], in: cluster) == "stopped")
        try await system.pause(primary, in: cluster)
        #expect(try await system.status(primary, in: cluster).hasPrefix("paused "))
        try await system.resume(primary, in: cluster)
        try await system.kill(primary, in: cluster)
        #expect(try await system.status(primary, in: cluster) == "stopped")
        // Nothing of the killed server's process group is left to hold the port: it starts again.
        try await system.start(primary, in: cluster)
        let second = try await system.status(primary, in: cluster)
        #expect(second.hasPrefix("running ") && second != first)
        try await system.kill(cluster.nodes[2], in: cluster)
        try await system.teardown(cluster)
        #expect(try await system.status(primary, in: cluster) == "stopped")
    }
}
