import Control
import Foundation
import Systems

/// PostgreSQL as a system under test: one primary on the first node, which every client connects
/// to over the network, run as the `postgres` user and killed and paused by PID.
///
/// `setup` first tears down whatever an earlier run left on every node (a server found by its
/// pidfile and verified to run our program, and all its data), then runs `initdb` on the first
/// node, starts the server, and verifies that the process holding its port is the one it
/// started. The other nodes run no server: kill and pause faults aimed at them do nothing (the
/// run's notes say so). Debian's `postgresql` package must be installed on the nodes.
public struct PostgresSystem: KillableSystem, PausableSystem {
    /// The deployment settings.
    public let config: PostgresConfig

    public init(config: PostgresConfig = PostgresConfig()) {
        self.config = config
    }

    /// `postgres`.
    public var name: String { "postgres" }

    /// PostgreSQL is a C program: libfaketime reaches it.
    public var readsTimeThroughLibc: Bool? { true }

    public var notes: [String] {
        [
            "PostgreSQL runs on the first node only (a single primary every client connects to); "
                + "kill and pause faults on other nodes do nothing. Transactions run at isolation level \(config.isolation)."
        ]
    }

    /// The version printed by `postgres --version` on the controller (e.g. `15.18`).
    public func version() async throws(SystemError) -> String {
        let command = RemoteCommand(argv: [config.serverBinary, "--version"], timeoutSeconds: 10)
        let result: ExecResult
        do {
            result = try await LocalRemote(node: "controller").exec(command).checked()
        } catch {
            throw SystemError(error, doing: "reading PostgreSQL's version")
        }
        // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        let words = result.stdoutText.split(separator: " ")
        guard let i = words.firstIndex(of: "(PostgreSQL)"), i + 1 < words.count else {
            throw SystemError(node: "controller", message: "no version in the output of `\(command)`", detail: result.stdoutText)
        }
        return String(words[i + 1]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Tears down, then creates and starts the primary on the first node and verifies it.
    public func setup(_ cluster: TestCluster) async throws(SystemError) {
        try await teardown(cluster)
        guard let primary = PostgresConfig.primary(of: cluster.nodes) else {
            throw SystemError(node: "controller", message: "no nodes to run PostgreSQL on")
        }
        try await cluster.forEachNode { node throws(SystemError) in
            guard node.name != primary.name else { return }
            try await run(scripts(node).placeholderLog(primary: primary.name), on: node, in: cluster, doing: "writing the log")
        }
        try await run(scripts(primary).initialize(), on: primary, in: cluster, doing: "creating the database cluster (initdb)")
        let pid = try await run(scripts(primary).start(), on: primary, in: cluster, doing: "starting postgres")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await run(scripts(primary).verify(pid: pid), on: primary, in: cluster, doing: "verifying the started postgres")
    }

    /// Kills PostgreSQL on every node (by its PID) and removes its data and log.
    public func teardown(_ cluster: TestCluster) async throws(SystemError) {
        try await cluster.forEachNode { node throws(SystemError) in
            try await run(scripts(node).wipe(), on: node, in: cluster, doing: "tearing down postgres")
        }
    }

    /// The log of every start on `node`.
    public func logFiles(on node: NodeConfig) -> [String] {
        [PostgresLayout(node: node).log]
    }

    /// Sends SIGKILL to the server's process group on `node` (a no-op when none runs).
    public func kill(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).kill(), on: node, in: cluster, doing: "killing postgres")
    }

    /// Starts the server on `node` again, keeping its data (crash recovery runs); a no-op on a
    /// node that is not the primary's.
    public func start(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        guard node.name == PostgresConfig.primary(of: cluster.nodes)?.name else { return }
        try await run(scripts(node).start(), on: node, in: cluster, doing: "starting postgres")
    }

    /// Sends SIGSTOP to the server's process group on `node` (a no-op when none runs).
    public func pause(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(pause: true), on: node, in: cluster, doing: "pausing postgres")
    }

    /// Sends SIGCONT to the server's process group on `node` (a no-op when none runs).
    public func resume(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(pause: false), on: node, in: cluster, doing: "resuming postgres")
    }

    /// The state of the server on `node`: `running PID`, `paused PID` or `stopped`.
    public func status(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) -> String {
        try await run(scripts(node).status(), on: node, in: cluster, doing: "checking postgres")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func scripts(_ node: NodeConfig) -> PostgresScripts {
        PostgresScripts(config: config, node: node)
    }

    @discardableResult
    func run(_ script: String, on node: NodeConfig, in cluster: TestCluster, doing what: String) async throws(SystemError) -> String {
        try await cluster.run(script, on: node, doing: what, timeoutSeconds: config.commandTimeoutSeconds, sudo: config.sudo)
    }
}
