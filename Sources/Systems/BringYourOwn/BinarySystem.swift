import Control
import Foundation
import Systems

/// A bring-your-own server as a system under test: installed on every node, run as a daemon with
/// a pidfile, killed and paused by PID.
///
/// `setup` is Jepsen's `cycle!`: it first tears down whatever an earlier run left (found by the
/// pidfile and verified by the marker in the process's environment), installs the Debian packages
/// and the upload (skipped when the node's cache already holds that SHA-256), starts one server
/// per node through its launcher, waits until every node passes the ready check, and verifies that
/// the servers running are the ones it started. When any step fails it tears down again, so a
/// failed setup leaves nothing running, and the error carries the node's log tail.
public struct BinarySystem: KillableSystem, PausableSystem {
    /// The deployment settings.
    public let config: BinaryConfig

    /// Creates the lifecycle for `config`.
    public init(config: BinaryConfig) {
        self.config = config
    }

    /// `db.name`.
    public var name: String { config.name }

    /// As the workload file says (`reads-time-through-libc`); nil when it does not say.
    public var readsTimeThroughLibc: Bool? { config.readsTimeThroughLibc }

    /// The version: the upload's SHA-256 (first 12 digits), or `unknown`.
    public func version() async throws(SystemError) -> String {
        guard let artifact = config.install.artifact else { return "unknown" }
        guard let package = try? await ArtifactPackage.prepare(artifact) else { return "unknown" }
        package.removeTemporary()
        return String(package.sha256.prefix(12))
    }

    /// The server's log and the files named in `logs`, on `node`.
    public func logFiles(on node: NodeConfig) -> [String] {
        let layout = layout(node)
        return [layout.log] + config.logs.map { $0.plain(values(node, nodes: [node])) }
    }

    /// Tears down, installs, starts and waits for every node; tears down again if anything fails.
    public func setup(_ cluster: TestCluster) async throws(SystemError) {
        try await teardown(cluster)
        do throws(SystemError) {
            let package: ArtifactPackage?
            if let artifact = config.install.artifact {
                do { package = try await ArtifactPackage.prepare(artifact) } catch {
                    throw SystemError(node: "controller", message: "cannot read \(artifact.path): \(error)")
                }
            } else {
                package = nil
            }
            defer { package?.removeTemporary() }
            let started = try await cluster.forEachNode { node throws(SystemError) -> String in
                try await install(on: node, package: package, in: cluster)
                return try await startServer(node, in: cluster)
            }
            try await waitReady(cluster.nodes, started: started, in: cluster)
            try await cluster.forEachNode { node throws(SystemError) in
                try await run(scripts(node).verify(expected: started[node.name] ?? ""), on: node, in: cluster, doing: "verifying the started \(name)")
            }
        } catch {
            try? await teardown(cluster)
            throw error
        }
    }

    /// Stops the server on every node (the stop command first, when given; then SIGKILL by PID)
    /// and removes its files (the data too, unless `wipe: false`). The upload cache stays.
    public func teardown(_ cluster: TestCluster) async throws(SystemError) {
        try await cluster.forEachNode { node throws(SystemError) in
            let stop = config.stop.map { $0.shellLine(values(node, nodes: cluster.nodes)) }
            try await run(scripts(node).teardown(stop: stop, wipeData: config.wipe), on: node, in: cluster, doing: "tearing down \(name)")
        }
    }

    /// Sends SIGKILL to the server's process group on `node`.
    public func kill(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).kill(), on: node, in: cluster, doing: "killing \(name)")
    }

    /// Starts the server on `node` again with the same command, keeping its data; does not wait
    /// for the ready check (a node partitioned away may never pass it).
    public func start(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        _ = try await startServer(node, in: cluster)
    }

    /// Sends SIGSTOP to the server's process group on `node`.
    public func pause(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(pause: true), on: node, in: cluster, doing: "pausing \(name)")
    }

    /// Sends SIGCONT to the server's process group on `node`.
    public func resume(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await run(scripts(node).signal(pause: false), on: node, in: cluster, doing: "resuming \(name)")
    }

    /// `running PID`, `paused PID` or `stopped`.
    public func status(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) -> String {
        try await run(scripts(node).status(), on: node, in: cluster, doing: "checking \(name)")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func layout(_ node: NodeConfig) -> BinaryLayout { BinaryLayout(node: node, name: config.name) }

    func scripts(_ node: NodeConfig) -> BinaryScripts { BinaryScripts(layout: layout(node)) }

    /// The placeholder values for `node` among `nodes`.
    func values(_ node: NodeConfig, nodes: [NodeConfig]) -> [String: String] {
        let layout = layout(node)
        let port = config.port.map(String.init) ?? ""
        func hostPort(_ n: NodeConfig) -> String { config.port.map { "\(n.host):\($0)" } ?? n.host }
        var v = [
            "node": node.name, "address": node.host, "port": port,
            "index": String((nodes.firstIndex { $0.name == node.name } ?? 0) + 1),
            "peers": nodes.filter { $0.name != node.name }.map(hostPort).joined(separator: ","),
            "addresses": nodes.map(hostPort).joined(separator: ","),
            "names": nodes.map(\.name).joined(separator: ","),
            "cluster": nodes.map { "\($0.name)=\(hostPort($0))" }.joined(separator: ","),
            "data": layout.data, "log": layout.log, "install": layout.root + "/install",
        ]
        if let artifact = config.install.artifact, artifact.kind == .file {
            v["binary"] = layout.root + "/install/" + (artifact.path as NSString).lastPathComponent
        } else {
            v["binary"] = layout.root + "/install"
        }
        return v
    }

    /// Prepares the folders, installs packages, uploads the artifact unless cached, links `{install}`.
    private func install(on node: NodeConfig, package: ArtifactPackage?, in cluster: TestCluster) async throws(SystemError) {
        let scripts = scripts(node)
        try await run(scripts.prepare(resetClock: node.clock == .faketime), on: node, in: cluster, doing: "preparing")
        if !config.install.packages.isEmpty {
            try await run(scripts.installPackages(config.install.packages), on: node, in: cluster, doing: "installing \(config.install.packages.joined(separator: " "))")
        }
        guard let package else { return }
        let state = try await run(scripts.cacheState(sha256: package.sha256), on: node, in: cluster, doing: "checking the upload cache")
        if state.trimmingCharacters(in: .whitespacesAndNewlines) != "cached" {
            let remote = try cluster.remote(node)
            let target = scripts.staging(sha256: package.sha256)
            do {
                if config.sudo {
                    try await remote.uploadAsRoot(localPath: package.uploadPath, remotePath: target, mode: 0o755)
                } else {
                    try await remote.upload(localPath: package.uploadPath, remotePath: target, mode: 0o755)
                }
            } catch {
                throw SystemError(error, doing: "uploading \(package.artifact.path) to \(target)")
            }
            let fileName = (package.artifact.path as NSString).lastPathComponent
            try await run(scripts.finishInstall(sha256: package.sha256, kind: package.artifact.kind, fileName: fileName), on: node, in: cluster, doing: "installing the upload")
        }
        let link = "ln -sfn \(ShellQuote.quote(layout(node).installDir(sha256: package.sha256))) \(ShellQuote.quote(layout(node).root + "/install"))"
        try await run(link, on: node, in: cluster, doing: "linking {install}")
    }

    /// Starts the server on `node` through its launcher; returns its PID.
    private func startServer(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError) -> String {
        let scripts = scripts(node)
        let command = config.start.shellLine(values(node, nodes: cluster.nodes))
        let launcher = scripts.launcher(command: command, faketime: node.clock == .faketime, libfaketimeCandidates: Faketime.libraryCandidates)
        return try await run(scripts.start(node: node.name, launcher: launcher), on: node, in: cluster, doing: "starting \(name)")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until every node passes the ready check, within `readyTimeoutSeconds`.
    private func waitReady(_ nodes: [NodeConfig], started: [String: String], in cluster: TestCluster) async throws(SystemError) {
        let timeout = config.readyTimeoutSeconds
        try await cluster.forEachNode { node throws(SystemError) in
            let pid = started[node.name] ?? ""
            let scripts = scripts(node)
            let script: String
            switch config.ready {
            case .running: script = scripts.waitReady(expected: pid, port: nil, command: nil, timeoutSeconds: 0.1)
            case .tcp(let port): script = scripts.waitReady(expected: pid, port: port, command: nil, timeoutSeconds: timeout)
            case .command(let t):
                script = scripts.waitReady(expected: pid, port: nil, command: t.shellLine(values(node, nodes: nodes)), timeoutSeconds: timeout)
            case .http(let t):
                let url = t.plain(values(node, nodes: nodes))
                try await HTTPReady.wait(
                    url: url, timeoutSeconds: timeout, diagnose: { await diagnose(node, in: cluster) }, node: node.name)
                return
            }
            try await cluster.run(script, on: node, doing: "waiting for \(name) to be ready", timeoutSeconds: timeout + 15, sudo: config.sudo)
        }
    }

    /// The process state and log tail of `node`, for messages.
    func diagnose(_ node: NodeConfig, in cluster: TestCluster) async -> String {
        do {
            let status = try await status(node, in: cluster)
            let tail = try await run(scripts(node).logTail(), on: node, in: cluster, doing: "reading the log")
            return "process: \(status)\n--- \(layout(node).log) (last \(DaemonShell.logTailLines) lines) ---\n\(tail)"
        } catch {
            return "(could not inspect the node: \(error.description))"
        }
    }

    @discardableResult
    func run(_ script: String, on node: NodeConfig, in cluster: TestCluster, doing what: String) async throws(SystemError) -> String {
        try await cluster.run(script, on: node, doing: what, timeoutSeconds: config.commandTimeoutSeconds, sudo: config.sudo)
    }
}
