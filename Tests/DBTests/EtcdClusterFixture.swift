import Cluster
import Control
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A 3-node local cluster (`dbtest`, 10.77.193.0/24) for a whole suite, removed after its
/// last test, also when tests fail. Removing the cluster kills every process left in its
/// namespaces by PID, so no etcd outlives the suite.
struct EtcdClusterFixture: SuiteTrait, TestScoping {
    static let spec = ClusterSpec(name: "dbtest", netIndex: 193, nodeCount: 3)

    @TaskLocal static var nodes: NodesFile?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = LocalCluster(spec: Self.spec)
        _ = try? await cluster.down()
        var failure: (any Error)?
        do {
            let nodes = try await cluster.up()
            try await Self.$nodes.withValue(nodes) { try await function() }
        } catch {
            failure = error
        }
        try await cluster.down()
        if let failure { throw failure }
    }

    /// The suite's nodes file (inside a test of a suite with this trait).
    static func current() throws -> NodesFile {
        try #require(nodes, "the dbtest cluster is not up")
    }
}

extension Trait where Self == EtcdClusterFixture {
    /// Runs the suite against a fresh 3-node local cluster.
    static var dbtestCluster: EtcdClusterFixture { EtcdClusterFixture() }
}

/// Tests that create namespaces need root; elsewhere they are skipped with this reason.
let isRoot = geteuid() == 0
let needsRootReason: Comment = "needs root to create a local cluster (network namespaces); run as root, as CI does"
