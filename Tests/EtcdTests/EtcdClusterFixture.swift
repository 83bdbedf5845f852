import Cluster
import ClusterTestKit
import Control
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The suite cluster of the etcd integration tests: `etcdtest`, 3 nodes on 10.77.199.0/24.
/// Removing it kills every process left in its namespaces by PID, so no etcd outlives the suite.
enum EtcdClusterFixture {
    static let spec = ClusterSpec(name: "etcdtest", netIndex: 199, nodeCount: 3)

    /// The suite's nodes file (inside a test of a suite with this cluster).
    static func current() throws -> NodesFile { try LocalClusterTrait.nodes() }
}

extension Trait where Self == LocalClusterTrait {
    /// Runs the suite against a fresh local cluster of EtcdClusterFixture.spec.
    static var etcdtestCluster: LocalClusterTrait { .localCluster(EtcdClusterFixture.spec) }
}

/// Tests that create namespaces need root; elsewhere they are skipped with this reason.
let isRoot = LocalClusterTrait.isRoot
let needsRootReason = LocalClusterTrait.needsRoot
