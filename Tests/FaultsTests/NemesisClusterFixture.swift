import Cluster
import ClusterTestKit
import Control
import Systems
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The suite cluster of the nemesis integration tests: `nemtest`, 3 nodes on 10.77.194.0/24.
enum NemesisClusterFixture {
    static let spec = ClusterSpec(name: "nemtest", netIndex: 194, nodeCount: 3)

    /// The suite's nodes file (inside a test of a suite with this cluster).
    static func current() throws -> NodesFile { try LocalClusterTrait.nodes() }

    /// A fresh connection set to the suite's nodes.
    static func testCluster() throws -> TestCluster {
        let nodes = try current()
        return TestCluster(nodes: nodes.nodes, remotes: RemoteSet(nodesFile: nodes))
    }
}

extension Trait where Self == LocalClusterTrait {
    /// Runs the suite against a fresh local cluster of NemesisClusterFixture.spec.
    static var nemesisCluster: LocalClusterTrait { .localCluster(NemesisClusterFixture.spec) }
}

/// Tests that create namespaces need root; elsewhere they are skipped with this reason.
let isRoot = LocalClusterTrait.isRoot
let needsRootReason = LocalClusterTrait.needsRoot

/// Small helpers that look at a node from the outside.
enum Probe {
    /// Runs a script as root on the node; returns its result whatever the exit status.
    static func sh(_ cluster: TestCluster, _ node: String, _ script: String) async throws -> ExecResult {
        let remote = try cluster.remote(try #require(cluster.nodes.first { $0.name == node }))
        return try await remote.exec(RemoteCommand(script: script, timeoutSeconds: 10, sudo: true))
    }

    /// Whether a TCP connection from `from` to `to`'s sshd succeeds within 2 s, in one of
    /// `attempts` tries (a first connection on a loaded machine can miss one deadline; a blocked
    /// one never succeeds, so checking that traffic is blocked needs one try).
    static func connects(_ cluster: TestCluster, from: String, to: String, attempts: Int = 3) async throws -> Bool {
        let host = try #require(cluster.nodes.first { $0.name == to }).host
        let once = "timeout 2 bash -c 'exec 3<>/dev/tcp/\(host)/22' 2>/dev/null"
        let r = try await sh(cluster, from, "for i in $(seq \(attempts)); do \(once) && exit 0; sleep 0.2; done; exit 1")
        return r.exitStatus == 0
    }

    /// `iptables -S SCHISM` on the node, or nil when the chain does not exist.
    static func schismChain(_ cluster: TestCluster, _ node: String) async throws -> String? {
        let r = try await sh(cluster, node, "iptables -w 5 -S SCHISM")
        return r.exitStatus == 0 ? r.stdoutText : nil
    }

    /// The state letter (`S`, `T`, ...) of the dummy server on a node; nil when it is gone.
    static func dummyState(_ cluster: TestCluster, _ node: String) async throws -> String? {
        let config = try #require(cluster.nodes.first { $0.name == node })
        let r = try await sh(
            cluster, node,
            "p=$(cat \(DummyDatabase.pidfile(config))) && grep '^State:' /proc/$p/status | awk '{print $2}'")
        let state = r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        return r.exitStatus == 0 && !state.isEmpty && state != "Z" ? state : nil
    }

    /// Adds rules of our own outside Schism's chain, which heal must leave alone.
    static let markerScript = """
        iptables -w 5 -N NEMTEST-MARK 2>/dev/null; iptables -w 5 -A NEMTEST-MARK -s 192.0.2.7 -j DROP
        iptables -w 5 -I INPUT 1 -s 192.0.2.8 -j ACCEPT
        """

    /// Whether the marker rules are all still there.
    static func markersIntact(_ cluster: TestCluster, _ node: String) async throws -> Bool {
        let rules = try await sh(cluster, node, "iptables -w 5 -S").stdoutText
        return rules.contains("-A NEMTEST-MARK -s 192.0.2.7/32 -j DROP") && rules.contains("-A INPUT -s 192.0.2.8/32 -j ACCEPT")
    }
}
