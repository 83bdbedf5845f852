import Cluster
import Control
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A suite trait that gives the suite one fresh local cluster: created before its first test and
/// removed after its last one, also when tests fail (a leftover from a crashed run is removed first).
///
/// Each suite names its own cluster and subnet (`ClusterSpec(name:netIndex:)`), so suites and a
/// user's cluster never collide. Inside a test, `LocalClusterTrait.nodes()` gives the nodes file.
public struct LocalClusterTrait: SuiteTrait, TestScoping {
    public let spec: ClusterSpec

    @TaskLocal static var current: NodesFile?

    public var isRecursive: Bool { false }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = LocalCluster(spec: spec)
        _ = try? await cluster.down()
        var failure: Error?
        do {
            let nodes = try await cluster.up()
            try await Self.$current.withValue(nodes) { try await function() }
        } catch {
            failure = error
        }
        try await cluster.down()
        if let failure { throw failure }
    }

    /// The suite's nodes file, inside a test of a suite with this trait.
    public static func nodes() throws -> NodesFile {
        guard let current else { throw ClusterError(.notUp, "the test cluster is not up") }
        return current
    }

    /// Whether this process may create namespaces.
    public static let isRoot = geteuid() == 0

    /// Why cluster tests are skipped when not root.
    public static let needsRoot: Comment = "needs root to create a local cluster (network namespaces); run as root, as CI does"
}

extension Trait where Self == LocalClusterTrait {
    /// Runs the suite against a fresh local cluster with this spec.
    public static func localCluster(_ spec: ClusterSpec) -> Self { LocalClusterTrait(spec: spec) }
}
