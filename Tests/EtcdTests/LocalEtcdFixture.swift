import Control
import Etcd
import Systems
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One etcd process on 127.0.0.1 for a whole suite, in a temp folder, on random free ports.
///
/// Started through ``EtcdSystem`` with the local backend (no root, no sudo) and removed
/// after the suite's last test, also when tests fail: teardown kills it by its pidfile's
/// PID, and if that fails, the fixture sends SIGKILL to that PID itself (after checking it
/// still runs our binary) and deletes the folder.
struct LocalEtcdFixture: SuiteTrait, TestScoping {
    /// What a test of the suite gets.
    struct Context: Sendable {
        let node: NodeConfig
        let cluster: TestCluster
        let database: EtcdSystem
        let config: EtcdConfig
    }

    @TaskLocal static var context: Context?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let dir = NSTemporaryDirectory() + "schism-dbtest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Free ports can be taken between the probe and etcd's bind by anything else running
        // on this machine; a start that fails that way is tried again on new ports (3 tries).
        var setup: (EtcdConfig, NodeConfig, TestCluster, EtcdSystem)?
        var lastError: (any Error)?
        for _ in 0..<3 where setup == nil {
            let ports = try freePorts(2)
            let config = EtcdConfig(
                clientPort: ports[0], peerPort: ports[1], listenAddress: "127.0.0.1", healthTimeoutSeconds: 20,
                sudo: false, clusterToken: "schism-dbtest-\(ports[0])")
            let node = NodeConfig(name: "local", host: "127.0.0.1", dataDir: dir)
            let cluster = TestCluster(nodes: [node], remotes: RemoteSet(remotes: [LocalRemote(node: "local")]))
            let database = EtcdSystem(config: config)
            do {
                try await database.setup(cluster)
                setup = (config, node, cluster, database)
            } catch {
                lastError = error
                try? await database.teardown(cluster)
            }
        }
        guard let (config, node, cluster, database) = setup else {
            try? FileManager.default.removeItem(atPath: dir)
            throw lastError ?? SystemError(node: "local", message: "etcd did not start")
        }
        var failure: (any Error)?
        do {
            try await Self.$context.withValue(Context(node: node, cluster: cluster, database: database, config: config)) {
                try await function()
            }
        } catch {
            failure = error
        }
        do {
            try await database.teardown(cluster)
        } catch {
            killIfOurs(pidFile: EtcdLayout(node: node).pidFile, binary: EtcdLayout(node: node).binary)
            failure = failure ?? error
        }
        try? FileManager.default.removeItem(atPath: dir)
        if let failure { throw failure }
    }

    /// The suite's etcd (inside a test of a suite with this trait).
    static func current() throws -> Context {
        try #require(context, "the local etcd fixture is not set up")
    }
}

extension Trait where Self == LocalEtcdFixture {
    /// Runs the suite against one local etcd process.
    static var localEtcd: LocalEtcdFixture { LocalEtcdFixture() }
}

/// Sends SIGKILL to the PID in `pidFile` if that process still runs `binary`.
func killIfOurs(pidFile: String, binary: String) {
    guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
        let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
        let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
        cmdline.split(separator: 0).first.map({ String(decoding: $0, as: UTF8.self) }) == binary
    else { return }
    kill(pid, SIGKILL)
}

/// Ports that were free on 127.0.0.1 a moment ago (bound to port 0, then released).
func freePorts(_ count: Int) throws -> [Int] {
    var fds: [Int32] = []
    defer { for fd in fds { close(fd) } }
    var ports: [Int] = []
    for _ in 0..<count {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0, "socket() failed")
        fds.append(fd)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0, "bind() failed")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        ports.append(Int(UInt16(bigEndian: addr.sin_port)))
    }
    return ports
}
