import Basics
import Cluster
import ClusterTestKit
import Etcd
import Faults
import Foundation
import Plugins
import Runner
import Testing

/// etcd list-append transactions (read, then a txn guarded by mod_revisions) on a real 3-node
/// local cluster under partitions and kills.
@Suite(
    .serialized, .enabled(if: LocalClusterTrait.isRoot, LocalClusterTrait.needsRoot),
    .enabled(if: FileManager.default.isExecutableFile(atPath: EtcdConfig.debianBinaryPath), "needs Debian's etcd-server (/usr/bin/etcd)"),
    .localCluster(ClusterSpec(name: "etcdtxn", netIndex: 185, nodeCount: 3)))
struct EtcdAppendClusterTests {
    @Test func listAppendUnderPartitionsAndKills() async throws {
        var plan = try TxnRunFixture.plan("""
            name: etcd-append
            db: {system: etcd}
            client: {timeout: 1s}
            workload: {kind: list-append, key-count: 4, max-txn-length: 4, consistency: strict-serializable}
            concurrency: 6
            rate: 150
            time-limit: 14
            nemesis: {faults: [partition, kill], interval: 2.5, recovery: 2}
            """)
        // A seed whose schedule has both a partition and a kill.
        let faults = BuiltIn.registry.faults
        let seed = try #require((1..<5_000).lazy.map(UInt64.init).first { seed in
            let kinds = Set(NemesisSchedule(seed: seed, kinds: plan.faultKinds, intervalSeconds: plan.nemesisIntervalSeconds,
                                            durationSeconds: plan.timeLimitSeconds).starts.map { faults.familyName(ofKind: $0.kind) })
            return kinds.isSuperset(of: ["partition", "kill"])
        })
        plan.seed = seed
        let (outcome, _) = try await TxnRunFixture.run(plan)
        let folder = try #require(outcome.folder, "\(outcome)")
        let ops = try TxnRunFixture.operations(folder.history)
        let types = TxnRunFixture.expectShape(ops, write: "append")
        #expect((types["ok"] ?? 0) > 100, "\(types)")
        // Lists grew: some read saw several appends to one key.
        let longest = ops.filter { $0["type"] == "ok" }.flatMap { $0["value"]?.arrayValue ?? [] }
            .compactMap { $0.arrayValue?[2].arrayValue?.count }.max() ?? 0
        #expect(longest >= 3)
        let journal = try String(contentsOfFile: folder.faults, encoding: .utf8)
        #expect(journal.contains("start-partition") && journal.contains("start-kill"), "not both faults ran")
        if TxnRunFixture.hasListAppendChecker {
            #expect(outcome.verdict == .valid, "\(outcome)")
        }
    }
}
