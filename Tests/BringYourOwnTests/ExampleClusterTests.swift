import BringYourOwn
import Cluster
import ClusterTestKit
import Control
import Foundation
import Plugins
import Results
import Runner
import Systems
import Testing

/// The example system on a real 3-node local cluster: unsafe is caught under partitions, safe
/// passes the same seed and faults, and a server that never gets ready leaves nothing running.
@Suite(
    .serialized, .enabled(if: LocalClusterTrait.isRoot, LocalClusterTrait.needsRoot),
    .localCluster(ClusterSpec(name: "byotest", netIndex: 180, nodeCount: 3)))
struct ExampleClusterTests {
    /// A shipped workload, shortened: 12 s with a partition every 3 s, few keys (the checker's
    /// follow-up on each invalid key, sequential consistency, costs about 1 s per key in a debug build).
    static func plan(_ name: String, seed: UInt64 = 5) throws -> TestPlan {
        var plan = try TestPlanParser(registry: BuiltIn.registry).read(
            path: "Workloads/\(name).yml",
            overrides: [
                .init("time-limit", "12s", flag: "--time-limit"), .init("nemesis.interval", "3s", flag: "--interval"),
                .init("nemesis.recovery", "1s", flag: "--recovery"), .init("workload.ops-per-key", "600", flag: "--ops-per-key"),
            ])
        plan.seed = seed
        return plan
    }

    static func cluster() throws -> TestCluster {
        let nodes = try LocalClusterTrait.nodes()
        return TestCluster(nodes: nodes.nodes, remotes: RemoteSet(nodesFile: nodes))
    }

    static func run(_ plan: TestPlan) async throws -> (TestRun.Outcome, TestCluster) {
        let cluster = try cluster()
        let run = TestRun(
            plan: plan, seed: plan.seed ?? 1, cluster: cluster, registry: BuiltIn.registry,
            resultsRoot: NSTemporaryDirectory() + "schism-byo-\(UUID().uuidString)")
        return (await run.run(stop: StopSignal()) { _ in }, cluster)
    }

    /// Every node says `stopped` for the example server.
    static func expectStopped(_ system: BinarySystem, _ cluster: TestCluster) async throws {
        for node in cluster.nodes {
            #expect(try await system.status(node, in: cluster) == "stopped", "\(node.name) still runs the server")
        }
    }

    @Test func unsafeModeIsCaughtUnderPartitions() async throws {
        let (outcome, cluster) = try await Self.run(try Self.plan("unsafe-kv"))
        let folder = try #require(outcome.folder, "\(outcome)")
        #expect(outcome.verdict == .invalid, "\(outcome)")
        #expect(outcome.exitCode == 1)
        let report = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(report.contains("is not linearizable"))
        #expect(report.contains("but the register held"), "the report names the stale value")
        #expect(FileManager.default.fileExists(atPath: folder.nodeFolder("n1") + "/example-kv.log"))
        let system = try #require(try Self.plan("unsafe-kv").system.system as? BinarySystem)
        try await Self.expectStopped(system, cluster)
    }

    @Test func safeModeIsValidUnderTheSameFaults() async throws {
        let (outcome, cluster) = try await Self.run(try Self.plan("safe-kv"))
        let folder = try #require(outcome.folder, "\(outcome)")
        #expect(outcome.verdict == .valid, "\(outcome)")
        let history = try String(contentsOfFile: folder.history, encoding: .utf8)
        #expect(history.contains("\"type\":\"ok\""))
        #expect(history.contains("\"f\":\"start-partition\"") || history.contains("partition"), "a partition happened")
        let system = try #require(try Self.plan("safe-kv").system.system as? BinarySystem)
        try await Self.expectStopped(system, cluster)
    }

    @Test func neverReadyNodeGivesItsLogTailAndLeavesNothingRunning() async throws {
        let plan = try TestPlanParser(registry: BuiltIn.registry).parse("""
            name: never-ready
            db:
              system: binary
              name: sleeper
              start: [sh, -c, "echo sleeper on {node} is not listening today; exec sleep 600"]
              port: 7001
              ready: {tcp: 7001, timeout: 2s}
              client: {protocol: http-kv}
            """, file: "never.yml")
        let system = try #require(plan.system.system as? BinarySystem)
        let cluster = try Self.cluster()
        let start = ContinuousClock.now
        var caught: SystemError?
        do { try await system.setup(cluster) } catch { caught = error }
        let error = try #require(caught, "setup succeeded for a server that never listens")
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(error.description.contains("not ready within 2.0 s (waited for listening on port 7001)"), "\(error)")
        #expect(error.description.contains("is not listening today"), "the log tail: \(error)")
        try await Self.expectStopped(system, cluster)
    }

    @Test func folderInstallHTTPReadyAndSignalsByPID() async throws {
        let folder = NSTemporaryDirectory() + "schism-byo-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: "Workloads/examples/example_kv.py", toPath: folder + "/server.py")
        let plan = try TestPlanParser(registry: BuiltIn.registry).parse("""
            name: folder
            db:
              system: binary
              name: folder-kv
              install: {folder: \(folder)}
              start: [python3, "{install}/server.py", --node, "{node}", --listen, "{address}:{port}"]
              port: 7002
              ready: {http: "http://{address}:{port}/health", timeout: 15s}
              client: {protocol: http-kv}
            """, file: "folder.yml")
        let system = try #require(plan.system.system as? BinarySystem)
        let cluster = try Self.cluster()
        try await system.setup(cluster)
        let n1 = cluster.nodes[0]
        #expect(try await system.status(n1, in: cluster).hasPrefix("running "))
        try await system.pause(n1, in: cluster)
        #expect(try await system.status(n1, in: cluster).hasPrefix("paused "))
        try await system.resume(n1, in: cluster)
        try await system.kill(n1, in: cluster)
        #expect(try await system.status(n1, in: cluster) == "stopped")
        try await system.start(n1, in: cluster)
        #expect(try await system.status(n1, in: cluster).hasPrefix("running "))
        // A second setup finds the upload in the node's cache (no new upload) and starts again.
        try await system.setup(cluster)
        let cache = try await cluster.run("ls \(n1.dataDir)/byo-cache/*/server.py | wc -l", on: n1, doing: "listing", timeoutSeconds: 10, sudo: false)
        #expect(Int(cache.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1)
        try await system.teardown(cluster)
        try await Self.expectStopped(system, cluster)
    }
}
