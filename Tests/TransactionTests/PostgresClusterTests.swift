import Basics
import Cluster
import ClusterTestKit
import Control
import Foundation
import Histories
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
        nemesis: {faults: \(faults), interval: 2, recovery: 1}
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

    /// Under kills and pauses of the primary (seed 4's schedule kills n1, then pauses every
    /// node): a client whose server dies mid-transaction once hung forever in the driver.
    @Test(.timeLimit(.minutes(3)))
    func serializableIsValidAndRefusesSome() async throws {
        let plan = try TxnRunFixture.plan(Self.workload(isolation: "serializable", seconds: 15, faults: "[kill, pause]"), seed: 4)
        let (outcome, _) = try await TxnRunFixture.run(plan)
        let folder = try #require(outcome.folder, "\(outcome)")
        let ops = try TxnRunFixture.operations(folder.history)
        let types = TxnRunFixture.expectShape(ops, write: "append")
        #expect((types["ok"] ?? 0) > 50, "\(types)")
        #expect((types["fail"] ?? 0) > 0, "serialization failures expected: \(types)")
        #expect(ops.contains { ($0["error"]?.stringValue ?? "").hasPrefix("40001") }, "no serialization failure (40001)")
        let journal = try String(contentsOfFile: folder.faults, encoding: .utf8)
        #expect(journal.split(separator: "\n").contains { $0.contains("\"start-kill\"") && $0.contains("\"n1\"") }, "the primary was not killed")
        // Clients came back after the kill: transactions committed in the run's last seconds.
        let lastOK = ops.filter { $0["type"] == "ok" }.compactMap { $0["time"]?.intValue }.max() ?? 0
        #expect(lastOK > 12_000_000_000)
        if TxnRunFixture.hasListAppendChecker {
            #expect(outcome.verdict == .valid, "\(outcome)")
        }
    }

    @Test func lifecycleByPIDAndClients() async throws {
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
        // Clients on any node talk to the primary; a transaction reads its own appends and writes.
        // (A generous timeout: with the other cluster suites beside it, a 2 s one was once missed.)
        for kind in ["list-append", "rw-register"] {
            let options = ClientOptions(timeoutSeconds: 10, keyPrefix: "direct/", workloadKind: kind, nodes: cluster.nodes)
            let client = try PostgresClientFactory(config: system.config).makeClient(node: cluster.nodes[2], options: options)
            let write = kind == "list-append" ? "append" : "w"
            let first = await client.invoke(ClientRequest(f: "txn", key: nil, value: [[.string(write), 1, 1], ["r", 1, .null], ["r", 2, .null]]))
            let second = await client.invoke(ClientRequest(f: "txn", key: nil, value: [[.string(write), 1, 2], ["r", 1, .null]]))
            await client.close()
            #expect(first.type == .ok && second.type == .ok, "\(first.error ?? "") \(second.error ?? "")")
            if kind == "list-append" {
                #expect(first.value == [["append", 1, 1], ["r", 1, [1]], ["r", 2, []]])
                #expect(second.value == [["append", 1, 2], ["r", 1, [1, 2]]])
            } else {
                #expect(first.value == [["w", 1, 1], ["r", 1, 1], ["r", 2, .null]])
                #expect(second.value == [["w", 1, 2], ["r", 1, 2]])
            }
            let refused = await client.invoke(ClientRequest(f: "read", key: "k1", value: .null))
            #expect(refused.type == .fail)
        }
        try await system.teardown(cluster)
        #expect(try await system.status(primary, in: cluster) == "stopped")
    }
}
