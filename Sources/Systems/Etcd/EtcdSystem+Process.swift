import Foundation
import Control
import Systems

/// Killing, starting, pausing and resuming one member, always by the PID in its pidfile.
extension EtcdSystem {
    /// Sends SIGKILL to etcd on `node` and waits until it is gone (a no-op when it is not running).
    public func kill(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).kill(), on: node, in: cluster, doing: "killing etcd")
    }

    /// Starts etcd on `node` again with the same command line, keeping its data.
    ///
    /// Returns once the process listens on the client port (a no-op when it already runs); it
    /// does not wait for the member to rejoin, which cannot happen while it is partitioned
    /// away. Use ``waitHealthy(_:in:)`` for that.
    public func start(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).start(node: node, cluster: cluster.nodes), on: node, in: cluster, doing: "starting etcd")
    }

    /// Sends SIGSTOP to etcd on `node`; fails when etcd is not running.
    public func pause(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(pause: true), on: node, in: cluster, doing: "pausing etcd")
    }

    /// Sends SIGCONT to etcd on `node` (a no-op when it is not running).
    public func resume(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(pause: false), on: node, in: cluster, doing: "resuming etcd")
    }

    /// The state of etcd on `node`: `running PID`, `paused PID` or `stopped`.
    public func status(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) -> String {
        try await run(scripts(node).status(), on: node, in: cluster, doing: "checking etcd")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The PID of our etcd on `node`, or nil when it is not running.
    public func pid(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) -> Int32? {
        let words = try await status(node, in: cluster).split(separator: " ")
        guard words.count == 2, words[0] != "stopped" else { return nil }
        return Int32(words[1])
    }

    func scripts(_ node: NodeConfig) -> EtcdScripts {
        EtcdScripts(config: config, node: node)
    }

    /// Runs a script on `node` (through sudo when configured), bounded by the command timeout.
    @discardableResult
    func run(_ script: String, on node: NodeConfig, in cluster: TestCluster, doing what: String)
        async throws(SystemError) -> String
    {
        try await cluster.run(script, on: node, doing: what, timeoutSeconds: config.commandTimeoutSeconds, sudo: config.sudo)
    }

    /// What we know about a member that is not healthy: its process state and its log's tail.
    func diagnose(_ node: NodeConfig, in cluster: TestCluster) async -> String {
        var out = ""
        do {
            out += "process: " + (try await status(node, in: cluster)) + "\n"
            let tail = try await run(scripts(node).logTail(), on: node, in: cluster, doing: "reading the log")
            out += "--- \(EtcdLayout(node: node).log) (last \(DaemonShell.logTailLines) lines) ---\n" + tail
        } catch {
            out += "(could not inspect the node: \(error.description))"
        }
        return out
    }
}
