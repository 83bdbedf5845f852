import Cluster
import ClusterTestKit
import Control
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The suite cluster of the SSH integration tests: `ctest`, 5 nodes on 10.77.197.0/24, its own
/// name and subnet so it never collides with a user's cluster or the benchmark's.
enum ClusterFixture {
    static let spec = ClusterSpec(name: "ctest", netIndex: 197, nodeCount: 5)

    /// The suite's nodes file (inside a test of a suite with this cluster).
    static func current() throws -> NodesFile { try LocalClusterTrait.nodes() }
}

extension Trait where Self == LocalClusterTrait {
    /// Runs the suite against a fresh local cluster of ClusterFixture.spec.
    static var sshTestCluster: LocalClusterTrait { .localCluster(ClusterFixture.spec) }
}

/// Tests that create namespaces need root; elsewhere they are skipped with this reason.
let isRoot = LocalClusterTrait.isRoot
let needsRootReason = LocalClusterTrait.needsRoot

/// A scratch folder for one test.
func scratchDir() throws -> String {
    let dir = NSTemporaryDirectory() + "schism-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
