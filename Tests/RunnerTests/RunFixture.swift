import Basics
import ClusterTestKit
import Control
import Etcd
import Systems
import Foundation
import Histories
import Faults
import Plugins
import Runner
import Testing

/// Helpers for whole runs on the suite's local cluster.
enum RunFixture {
    /// A short etcd register workload with the given faults, as the built-in registry reads it.
    static func workload(faults: [String], interval: Double, seconds: Double, extra: String = "") throws -> TestPlan {
        try TestPlanParser(registry: BuiltIn.registry).parse("""
            name: itest
            client: {timeout: 500ms}
            workload: {ops-per-key: 100}
            concurrency: 6
            rate: 150
            time-limit: \(seconds)
            nemesis: {faults: [\(faults.joined(separator: ", "))], interval: \(interval), recovery: 2}
            \(extra)
            """, file: "itest.yml")
    }

    /// The first seed below 20,000 whose fault schedule satisfies `wanted`.
    static func seed(for w: TestPlan, _ wanted: ([NemesisSchedule.Action]) -> Bool) -> UInt64? {
        (1..<20_000).lazy.map(UInt64.init).first { seed in
            wanted(NemesisSchedule(seed: seed, kinds: w.faultKinds, intervalSeconds: w.nemesisIntervalSeconds,
                                   durationSeconds: w.timeLimitSeconds).starts)
        }
    }

    /// Runs a test on the suite's cluster; returns how it ended and the cluster (still connected).
    static func run(_ w: TestPlan, root: String? = nil, stop: StopSignal = StopSignal()) async throws -> (TestRun.Outcome, TestCluster) {
        let nodes = try LocalClusterTrait.nodes()
        let cluster = TestCluster(nodes: nodes.nodes, remotes: RemoteSet(nodesFile: nodes))
        let run = TestRun(
            plan: w, seed: w.seed ?? 1, cluster: cluster, registry: BuiltIn.registry,
            resultsRoot: root ?? NSTemporaryDirectory() + "schism-run-\(UUID().uuidString)")
        let outcome = await run.run(stop: stop) { _ in }
        return (outcome, cluster)
    }

    /// The journal's lines as JSON objects.
    static func journal(_ path: String) throws -> [[String: JSONValue]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            guard case .object(let o) = try JSONValue.parse(String($0)) else { return [:] }
            return o
        }
    }

    /// The path of the only run's `faults.jsonl` under a results root, once it exists.
    static func journalPath(under root: String) -> String? {
        let fm = FileManager.default
        for workload in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            for run in (try? fm.contentsOfDirectory(atPath: root + "/" + workload)) ?? [] where run != "latest" {
                let path = "\(root)/\(workload)/\(run)/faults.jsonl"
                if fm.fileExists(atPath: path) { return path }
            }
        }
        return nil
    }

    static func journalText(under root: String) -> String {
        journalPath(under: root).flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
    }

    /// Schism chains plus stopped processes on every node.
    static func leftovers(_ cluster: TestCluster) async throws -> Int {
        var count = 0
        for remote in cluster.remotes.remotes {
            let out = try await remote.runScript(
                "n=0; iptables -S SCHISM >/dev/null 2>&1 && n=$((n+1)); "
                    + "n=$((n + $(ps -eo stat= | grep -c '^T' || true))); echo $n")
            count += Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1
        }
        return count
    }

    /// No Schism chain and no stopped process on any node.
    static func expectClean(_ cluster: TestCluster) async throws {
        #expect(try await leftovers(cluster) == 0, "Schism rules or stopped processes left on the nodes")
    }

    /// The `schism` executable built beside the test bundle, if there is one.
    static let schismBinary: String? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("schism").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()
}
