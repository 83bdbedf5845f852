import Control
import Foundation
import Systems

/// etcd as a system under test: uploaded to every node, run as a daemon, killed and paused by PID.
///
/// `setup` is Jepsen's `cycle!`: it first tears down whatever an earlier run left (a daemon
/// found by its pidfile and verified to run our binary, and all its data), then uploads the
/// binary from the controller to `<dataDir>/etcd/etcd` on each node, starts one member per node
/// (`--initial-cluster` of all nodes by their hosts, a cluster token fresh for this value), waits
/// until every member answers `/health`, and finally verifies that the processes listening on
/// etcd's ports are the ones it just started. Nodes with `clock: faketime` run etcd under
/// libfaketime, although etcd, a Go program, reads the clock without libc and so does not see
/// fake time (``readsTimeThroughLibc``). See docs/databases.md.
public struct EtcdSystem: KillableSystem, PausableSystem {
    /// The deployment settings; `clusterToken` is never nil here.
    public let config: EtcdConfig

    /// Creates the lifecycle for `config`; a nil cluster token becomes a fresh one.
    public init(config: EtcdConfig = EtcdConfig()) {
        var c = config
        c.clusterToken = config.clusterToken ?? "schism-\(UUID().uuidString.prefix(8).lowercased())"
        self.config = c
    }

    /// `etcd`.
    public var name: String { "etcd" }

    /// False for a Go binary (etcd is one: Go reads the time through the vDSO); nil when the
    /// binary cannot be read.
    public var readsTimeThroughLibc: Bool? {
        FileManager.default.isReadableFile(atPath: config.binaryPath) ? !GoBinary.isGoProgram(path: config.binaryPath) : nil
    }

    /// The stale-reads warning when reads are serializable.
    public var notes: [String] {
        config.serializableReads
            ? ["Reads are serializable: etcd may answer them from a stale member, so stale reads are expected to be found."]
            : []
    }

    /// The path of the libfaketime timestamp file on `node` (`<dataDir>/faketime`).
    ///
    /// Write a libfaketime offset to it (`+0`, `-30s`, `+2h`, ...) to shift the clock of the
    /// processes started under libfaketime on that node; `FAKETIME_NO_CACHE=1` makes them
    /// re-read it on every clock call. Setup creates it with `+0`; teardown removes it.
    public static func faketimeFile(for node: NodeConfig) -> String {
        EtcdLayout(node: node).faketimeFile
    }

    /// The version printed by `etcd --version` on the controller (e.g. `3.4.23`).
    public func version() async throws(SystemError) -> String {
        let command = RemoteCommand(argv: [config.binaryPath, "--version"], timeoutSeconds: 10)
        let result: ExecResult
        do {
            result = try await LocalRemote(node: "controller").exec(command).checked()
        } catch {
            throw SystemError(error, doing: "reading etcd's version")
        }
        for line in result.stdoutText.split(separator: "\n") where line.hasPrefix("etcd Version:") {
            return line.dropFirst("etcd Version:".count).trimmingCharacters(in: .whitespaces)
        }
        throw SystemError(
            node: "controller", message: "no 'etcd Version:' line in the output of `\(command)`",
            detail: result.stdoutText + result.stderrText)
    }

    /// Tears down what an earlier run left, uploads and starts etcd on every node, waits until
    /// every member is healthy, and verifies that the members answering are the ones it started.
    public func setup(_ cluster: TestCluster) async throws(SystemError) {
        guard FileManager.default.isExecutableFile(atPath: config.binaryPath) else {
            throw SystemError(
                node: "controller",
                message: "no executable etcd at \(config.binaryPath) on the controller; "
                    + "install Debian's etcd-server (apt-get install etcd-server) or set db.binary")
        }
        try await teardown(cluster)
        let started = try await cluster.forEachNode { node throws(SystemError) -> String in
            let scripts = scripts(node)
            try await run(scripts.prepare(resetClock: node.clock == .faketime), on: node, in: cluster, doing: "preparing")
            try await upload(to: node, in: cluster)
            return try await run(scripts.start(node: node, cluster: cluster.nodes), on: node, in: cluster, doing: "starting etcd")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try await waitHealthy(cluster.nodes, in: cluster)
        try await cluster.forEachNode { node throws(SystemError) in
            try await verifyServing(node, pid: started[node.name] ?? "", in: cluster)
        }
    }

    /// Fails unless etcd on `node` runs as `pid` and that process holds etcd's client and peer
    /// ports, so a daemon an earlier run left (that setup could not identify) is never reused.
    public func verifyServing(_ node: NodeConfig, pid: String, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).verify(pid: pid), on: node, in: cluster, doing: "verifying the started etcd")
    }

    /// Kills etcd on every node (by its PID) and removes its binary, data, log and faketime file.
    ///
    /// Works after a partial setup and when called twice; a node that cannot be reached
    /// makes it fail after trying every other node.
    public func teardown(_ cluster: TestCluster) async throws(SystemError) {
        try await cluster.forEachNode { node throws(SystemError) in
            try await run(scripts(node).wipe(), on: node, in: cluster, doing: "tearing down")
        }
    }

    /// The log of every start of etcd on `node`.
    public func logFiles(on node: NodeConfig) -> [String] {
        [EtcdLayout(node: node).log]
    }

    /// Waits until every member of `nodes` answers `/health` (e.g. after healing faults).
    public func waitHealthy(_ nodes: [NodeConfig], in cluster: TestCluster) async throws(SystemError) {
        try await EtcdHealth(config: config).waitHealthy(nodes) { node in
            await diagnose(node, in: cluster)
        }
    }

    /// Copies the binary from the controller to the node.
    func upload(to node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        let remote = try cluster.remote(node)
        let target = EtcdLayout(node: node).binary
        do {
            if config.sudo {
                try await remote.uploadAsRoot(localPath: config.binaryPath, remotePath: target, mode: 0o755)
            } else {
                try await remote.upload(localPath: config.binaryPath, remotePath: target, mode: 0o755)
            }
        } catch {
            throw SystemError(error, doing: "uploading \(config.binaryPath) to \(target)")
        }
    }
}
