import Cluster
import Control
import Foundation
import Testing

@Suite("Local cluster lifecycle", .serialized, .enabled(if: isRoot, needsRootReason))
struct LocalClusterTests {
    @Test("up is idempotent and repairs a broken node; down after a crash removes everything")
    func lifecycle() async throws {
        let spec = ClusterSpec(name: "ctest-life", netIndex: 196, nodeCount: 2)
        let cluster = LocalCluster(spec: spec)
        _ = try? await cluster.down()
        defer { Task { try? await cluster.down() } }
        do {
            try await cluster.up()
            let state = try #require(ClusterState.load(spec.statePath))
            try await cluster.up()
            #expect(ClusterState.load(spec.statePath)?.nodes == state.nodes, "a healthy node was rebuilt")
            #expect(await cluster.status().allSatisfy { $0.summary == "up" })

            // Break n2 (its processes die), then repair.
            let n2 = try #require(state.nodes.first { $0.name == "n2" }?.initPid)
            kill(n2, SIGKILL)
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(await cluster.status()[1].summary != "up")
            try await cluster.up()
            #expect(await cluster.status().allSatisfy { $0.summary == "up" })
            let nodes = try NodesFile.load(path: spec.nodesFilePath)
            #expect(try await SSHRemote(nodes.nodes[1]).run(["hostname"]) == "n2\n")
            // Fixed MACs: the rebuilt node keeps its own, the bridge never takes a port's.
            let eth0 = try await LocalProcess.run(["ip", "-n", spec.netns(2), "link", "show", "eth0"])
            #expect(eth0.stdoutText.contains(spec.mac(2)), "\(eth0.stdoutText)")
            let bridge = try await LocalProcess.run(["ip", "link", "show", spec.bridge])
            #expect(bridge.stdoutText.contains(spec.bridgeMAC), "\(bridge.stdoutText)")

            // A crash that lost the state file: down still finds everything by name.
            try FileManager.default.removeItem(atPath: spec.statePath)
            try await cluster.down()
        } catch {
            try? await cluster.down()
            throw error
        }
        let out = try await LocalProcess.run(["ip", "netns", "list"])
        #expect(!out.stdoutText.contains("schism196-"))
        let links = try await LocalProcess.run(["ip", "-o", "link", "show"])
        #expect(!links.stdoutText.contains("schism196-") && !links.stdoutText.contains(spec.bridge))
        #expect(!FileManager.default.fileExists(atPath: spec.clusterDir))
    }

    @Test("bad requests are refused before anything is created")
    func validation() async {
        await #expect(throws: ClusterError.self) {
            try await LocalCluster(spec: ClusterSpec(name: "x", netIndex: 195, nodeCount: 0)).up()
        }
        await #expect(throws: ClusterError.self) {
            try await LocalCluster(spec: ClusterSpec(name: "bad name!", netIndex: 195, nodeCount: 1)).up()
        }
    }
}
