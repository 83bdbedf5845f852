import Control
import Systems

/// A stand-in server for tests: `sleep 600` started in its own session, with a pidfile.
///
/// Kill sends SIGKILL, start launches a new one, pause/resume send SIGSTOP/SIGCONT, all by
/// the PID in `<data_dir>/dummy/dummy.pid` (found by heal's pidfile scan).
struct DummyDatabase: KillableSystem, PausableSystem {
    var name = "dummy"
    /// `sleep` is a C program: libfaketime reaches it. A test may pretend otherwise (an etcd stand-in).
    var readsTimeThroughLibc: Bool? = true

    static func pidfile(_ node: NodeConfig) -> String { node.dataDir + "/dummy/dummy.pid" }

    func version() async throws(SystemError) -> String { "1" }

    func setup(_ cluster: TestCluster) async throws(SystemError) {
        for node in cluster.nodes { try await start(node, in: cluster) }
    }

    func teardown(_ cluster: TestCluster) async throws(SystemError) {
        for node in cluster.nodes {
            let pidfile = ShellQuote.quote(Self.pidfile(node))
            try await run(
                node, cluster,
                "[ -f \(pidfile) ] || exit 0; p=$(cat \(pidfile)); kill -CONT $p 2>/dev/null; kill -9 $p 2>/dev/null; rm -f \(pidfile); exit 0",
                "teardown")
        }
    }

    func logFiles(on node: NodeConfig) -> [String] { [] }

    func kill(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await signal("KILL", node, cluster)
    }

    func start(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        let dir = ShellQuote.quote(node.dataDir + "/dummy")
        let pidfile = ShellQuote.quote(Self.pidfile(node))
        try await run(
            node, cluster,
            "mkdir -p \(dir) || exit 1\nsetsid sleep 600 </dev/null >/dev/null 2>&1 &\necho $! > \(pidfile)", "start")
    }

    func pause(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await signal("STOP", node, cluster)
    }

    func resume(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await signal("CONT", node, cluster)
    }

    private func signal(_ name: String, _ node: NodeConfig, _ cluster: TestCluster) async throws(SystemError) {
        try await run(node, cluster, "kill -\(name) $(cat \(ShellQuote.quote(Self.pidfile(node))))", "kill -\(name)")
    }

    private func run(_ node: NodeConfig, _ cluster: TestCluster, _ script: String, _ what: String) async throws(SystemError) {
        let remote = try cluster.remote(node)
        do throws(RemoteError) {
            try await remote.runScript(script, timeoutSeconds: 10, sudo: true)
        } catch {
            throw SystemError(error, doing: what)
        }
    }
}
