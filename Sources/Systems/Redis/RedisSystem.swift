import Control
import Foundation
import NIOCore
import Systems

/// Redis as a system under test: a primary on the first node, replicas on the others, and a
/// Sentinel on every node that fails over when the primary is down.
///
/// `setup` is Jepsen's `cycle!`: it first tears down whatever an earlier run left (daemons found
/// by their pidfiles and verified to run Redis, and all their files), writes `redis.conf` and
/// `sentinel.conf`, starts redis-server then redis-sentinel on every node, waits until every
/// replica is in sync and every Sentinel sees the primary, the replicas and the other Sentinels,
/// and finally verifies that the processes on Redis's ports are the ones it started. Redis
/// comes from Debian's packages on the nodes (nothing is uploaded).
///
/// Kill and pause act on redis-server only: the Sentinel on the node keeps watching, as it
/// would when a server crashes. Clock faults do not reach it (``readsTimeThroughLibc``).
public struct RedisSystem: KillableSystem, PausableSystem, PrimaryAwareSystem {
    /// The deployment settings.
    public let config: RedisConfig

    /// Creates the lifecycle for `config`.
    public init(config: RedisConfig = RedisConfig()) {
        self.config = config
    }

    /// `redis`.
    public var name: String { "redis" }

    /// False: clock faults through libfaketime do not reach Debian's Redis.
    ///
    /// Redis reads the clock through libc, but Debian builds it against the shared
    /// libjemalloc, whose initialisation calls `clock_gettime` while libfaketime initialises;
    /// libfaketime detects the recursion and the server hangs before it listens (measured here
    /// with libfaketime 0.9.10 and jemalloc 5.3, with the `FAKETIME_*` and `MALLOC_CONF`
    /// settings tried; libfaketime issue #130, open). So Redis runs without libfaketime and the
    /// clock faults are reported as not applicable, never pretended.
    public var readsTimeThroughLibc: Bool? { false }

    /// What to know about reads from replicas and about WAIT.
    public var notes: [String] {
        var notes: [String] = []
        if config.replicaReads {
            notes.append("Reads go to each worker's own node, replicas included: Redis replicates asynchronously, so stale reads are expected to be found.")
        }
        if config.waitReplicas > 0 {
            notes.append("Writes wait for \(config.waitReplicas) replica(s) (WAIT); a write that fewer acknowledged within \(config.waitTimeoutMilliseconds) ms is recorded as info.")
        }
        return notes
    }

    /// The version printed by `redis-server --version` on the controller (e.g. `7.0.15`).
    public func version() async throws(SystemError) -> String {
        let command = RemoteCommand(argv: [config.serverBinary, "--version"], timeoutSeconds: 10)
        let result: ExecResult
        do {
            result = try await LocalRemote(node: "controller").exec(command).checked()
        } catch {
            throw SystemError(error, doing: "reading Redis's version")
        }
        for word in result.stdoutText.split(separator: " ") where word.hasPrefix("v=") {
            return String(word.dropFirst(2))
        }
        throw SystemError(
            node: "controller", message: "no 'v=' in the output of `\(command)`", detail: result.stdoutText + result.stderrText)
    }

    /// Tears down what an earlier run left, writes the configuration, starts the servers and
    /// Sentinels, waits until replication and Sentinel are ready, and verifies the daemons.
    public func setup(_ cluster: TestCluster) async throws(SystemError) {
        guard let primary = cluster.nodes.first else {
            throw SystemError(node: nil, message: "Redis needs at least one node")
        }
        try await teardown(cluster)
        let count = cluster.nodes.count
        let servers = try await cluster.forEachNode { node throws(SystemError) -> String in
            let s = scripts(node)
            try await run(s.prepare(primary: primary, nodeCount: count), on: node, in: cluster, doing: "preparing")
            return try await run(s.start(.server), on: node, in: cluster, doing: "starting redis-server").trimmed
        }
        let sentinels = try await cluster.forEachNode { node throws(SystemError) -> String in
            try await run(scripts(node).start(.sentinel), on: node, in: cluster, doing: "starting redis-sentinel").trimmed
        }
        try await waitReady(cluster, primary: primary)
        try await cluster.forEachNode { node throws(SystemError) in
            try await run(scripts(node).verify(.server, pid: servers[node.name] ?? ""), on: node, in: cluster, doing: "verifying redis-server")
            try await run(scripts(node).verify(.sentinel, pid: sentinels[node.name] ?? ""), on: node, in: cluster, doing: "verifying redis-sentinel")
        }
    }

    /// Kills both daemons on every node (by PID) and removes their files.
    ///
    /// Works after a partial setup and when called twice; a node that cannot be reached
    /// makes it fail after trying every other node.
    public func teardown(_ cluster: TestCluster) async throws(SystemError) {
        try await cluster.forEachNode { node throws(SystemError) in
            try await run(scripts(node).wipe(), on: node, in: cluster, doing: "tearing down")
        }
    }

    /// The logs of both daemons.
    public func logFiles(on node: NodeConfig) -> [String] {
        let layout = RedisLayout(node: node)
        return RedisDaemon.allCases.map { layout.files($0).log }
    }

    /// Sends SIGKILL to redis-server on `node` and waits until it is gone (a no-op when stopped).
    public func kill(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).kill(.server), on: node, in: cluster, doing: "killing redis-server")
    }

    /// Starts redis-server on `node` again with its configuration (as Sentinel may have
    /// rewritten it) and its append-only file; returns once it listens.
    public func start(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).start(.server), on: node, in: cluster, doing: "starting redis-server")
    }

    /// Sends SIGSTOP to redis-server on `node`; fails when it is not running.
    public func pause(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(.server, pause: true), on: node, in: cluster, doing: "pausing redis-server")
    }

    /// Sends SIGCONT to redis-server on `node` (a no-op when it is not running).
    public func resume(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(.server, pause: false), on: node, in: cluster, doing: "resuming redis-server")
    }

    /// The nodes the Sentinels name as primary (`SENTINEL get-master-addr-by-name`), the most
    /// named first; Sentinels that do not answer are skipped. Empty when none answers.
    public func primaries(in cluster: TestCluster) async throws(SystemError) -> [String] {
        var votes: [String: Int] = [:]
        for node in cluster.nodes {
            let deadline = NIODeadline.now() + .seconds(1)
            guard let address = try? await RedisSentinel.primaryAddress(at: node, config: config, deadline: deadline),
                let named = cluster.nodes.first(where: { $0.host == address.host && address.port == config.port })
            else { continue }
            votes[named.name, default: 0] += 1
        }
        return votes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    }

    /// The state of a daemon on `node`: `running PID`, `paused PID` or `stopped`.
    public func status(_ node: NodeConfig, _ daemon: RedisDaemon = .server, in cluster: TestCluster) async throws(SystemError) -> String {
        try await run(scripts(node).status(daemon), on: node, in: cluster, doing: "checking \(daemon.rawValue)").trimmed
    }

    /// The PID of a daemon on `node`, or nil when it is not running.
    public func pid(_ node: NodeConfig, _ daemon: RedisDaemon = .server, in cluster: TestCluster) async throws(SystemError) -> Int32? {
        let words = try await status(node, daemon, in: cluster).split(separator: " ")
        guard words.count == 2, words[0] != "stopped" else { return nil }
        return Int32(words[1])
    }

    func scripts(_ node: NodeConfig) -> RedisScripts {
        RedisScripts(config: config, node: node)
    }

    /// Runs a script on `node` (through sudo when configured), bounded by the command timeout.
    @discardableResult
    func run(_ script: String, on node: NodeConfig, in cluster: TestCluster, doing what: String) async throws(SystemError) -> String {
        try await cluster.run(script, on: node, doing: what, timeoutSeconds: config.commandTimeoutSeconds, sudo: config.sudo)
    }

    /// What we know about a node that is not ready: both daemons' states and log tails.
    func diagnose(_ node: NodeConfig, in cluster: TestCluster) async -> String {
        var out = ""
        for daemon in RedisDaemon.allCases {
            do {
                out += "\(daemon.rawValue): " + (try await status(node, daemon, in: cluster)) + "\n"
                let tail = try await run(scripts(node).logTail(daemon), on: node, in: cluster, doing: "reading the log")
                out += "--- \(RedisLayout(node: node).files(daemon).log) (last \(DaemonShell.logTailLines) lines) ---\n" + tail
            } catch {
                out += "(could not inspect \(daemon.rawValue): \(error.description))\n"
            }
        }
        return out
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
