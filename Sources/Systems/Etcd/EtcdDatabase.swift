import Control
import Foundation

/// etcd as a system under test: uploaded to every node, run as a daemon, killed and paused by PID.
///
/// `setup` uploads the binary from the controller to `<dataDir>/etcd/etcd` on each node,
/// starts one member per node (`--initial-cluster` of all nodes by their hosts) and waits
/// until every member answers `/health`. Nodes with `clock: faketime` run etcd under
/// libfaketime, although etcd, a Go program, reads the clock without libc and so does not
/// see fake time (``readsClockThroughLibc(binaryPath:)``). See docs/databases.md.
public struct EtcdDatabase: KillableSystem, PausableSystem {
    /// The deployment settings.
    public let config: EtcdConfig

    /// Creates the lifecycle for `config`.
    public init(config: EtcdConfig = EtcdConfig()) {
        self.config = config
    }

    /// `etcd`.
    public var name: String { "etcd" }

    /// The path of the libfaketime timestamp file on `node` (`<dataDir>/faketime`).
    ///
    /// Write a libfaketime offset to it (`+0`, `-30s`, `+2h`, ...) to shift the clock of the
    /// processes started under libfaketime on that node; `FAKETIME_NO_CACHE=1` makes them
    /// re-read it on every clock call. Setup creates it with `+0`; teardown removes it.
    public static func faketimeFile(for node: NodeConfig) -> String {
        EtcdLayout(node: node).faketimeFile
    }

    /// Whether a clock fault made with libfaketime can reach the program at `binaryPath`.
    ///
    /// False for Go programs (etcd among them): they read the time through the vDSO.
    public static func readsClockThroughLibc(binaryPath: String) -> Bool {
        !GoBinary.isGoProgram(path: binaryPath)
    }

    /// Whether this etcd's binary reads time through libc (false for Go builds, which etcd is).
    public var readsTimeThroughLibc: Bool? { Self.readsClockThroughLibc(binaryPath: config.binaryPath) }

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

    /// Uploads and starts etcd on every node, then waits until every member is healthy.
    public func setup(_ cluster: TestCluster) async throws(SystemError) {
        guard FileManager.default.isExecutableFile(atPath: config.binaryPath) else {
            throw SystemError(
                node: "controller",
                message: "no executable etcd at \(config.binaryPath) on the controller; "
                    + "install Debian's etcd-server or set the binary path")
        }
        try await forEachNode(cluster) { node throws(SystemError) in
            let scripts = EtcdScripts(config: config, node: node)
            try await run(scripts.prepare(resetClock: node.clock == .faketime), on: node, in: cluster, doing: "preparing")
            try await upload(to: node, in: cluster)
            try await run(scripts.start(node: node, cluster: cluster.nodes), on: node, in: cluster, doing: "starting etcd")
        }
        try await EtcdHealth(config: config).waitHealthy(cluster.nodes) { node in
            await diagnose(node, in: cluster)
        }
    }

    /// Kills etcd on every node (by its PID) and removes its binary, data, log and faketime file.
    ///
    /// Works after a partial setup and when called twice; a node that cannot be reached
    /// makes it fail after trying every other node.
    public func teardown(_ cluster: TestCluster) async throws(SystemError) {
        try await forEachNode(cluster) { node throws(SystemError) in
            try await run(EtcdScripts(config: config, node: node).wipe(), on: node, in: cluster, doing: "tearing down")
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

    /// Runs `body` for every node at once; throws one error naming every node that failed.
    func forEachNode(
        _ cluster: TestCluster, _ body: @escaping @Sendable (NodeConfig) async throws(SystemError) -> Void
    ) async throws(SystemError) {
        let failures = await withTaskGroup(of: SystemError?.self) { group in
            for node in cluster.nodes {
                group.addTask {
                    do throws(SystemError) {
                        try await body(node)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var all: [SystemError] = []
            for await case let failure? in group { all.append(failure) }
            return all.sorted { ($0.node ?? "") < ($1.node ?? "") }
        }
        guard let first = failures.first else { return }
        if failures.count == 1 { throw first }
        throw SystemError(
            node: nil, message: "failed on \(failures.count) nodes",
            detail: failures.map(\.description).joined(separator: "\n"))
    }
}
