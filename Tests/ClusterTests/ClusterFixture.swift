import Cluster
import Control
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One local cluster for a whole suite: created before its first test, removed after its
/// last one, also when tests fail. Uses its own name and subnet (10.77.197.0/24), so it
/// never collides with a user's cluster or the benchmark's.
struct ClusterFixture: SuiteTrait, TestScoping {
    static let spec = ClusterSpec(name: "ctest", netIndex: 197, nodeCount: 5)

    @TaskLocal static var nodes: NodesFile?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = LocalCluster(spec: Self.spec)
        _ = try? await cluster.down()
        var failure: Error?
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
        guard let nodes else { throw ClusterError(.notUp, "the test cluster is not up") }
        return nodes
    }
}

extension Trait where Self == ClusterFixture {
    /// Runs the suite against a fresh local cluster.
    static var localCluster: ClusterFixture { ClusterFixture() }
}

/// Tests that create namespaces need root; elsewhere they are skipped with this reason.
let isRoot = geteuid() == 0
let needsRootReason: Comment = "needs root to create a local cluster (network namespaces); run as root, as CI does"

/// A scratch folder for one test.
func scratchDir() throws -> String {
    let dir = NSTemporaryDirectory() + "schism-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
