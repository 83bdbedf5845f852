import Control
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The local cluster: N hosts on this machine, each a set of namespaces with its own sshd.
///
/// `up` is idempotent (healthy nodes are left alone, broken ones rebuilt), `down` removes
/// exactly what `up` created (recorded in `state.json` before it is created, and found by
/// its `schism`-prefixed names after a crash). Both need root.
public struct LocalCluster: Sendable {
    /// The cluster's names, addresses and paths.
    public let spec: ClusterSpec

    /// A cluster with these parameters (nothing happens until ``up(installPackages:)``).
    public init(spec: ClusterSpec) {
        self.spec = spec
    }

    /// The cluster recorded under `name`, as last brought up; nil when none is.
    public static func existing(name: String = "default", stateRoot: String = ClusterSpec.defaultStateRoot) -> LocalCluster? {
        guard let state = ClusterState.load("\(stateRoot)/\(name)/state.json") else { return nil }
        return LocalCluster(spec: state.spec)
    }

    /// The names of the clusters with a state file under `stateRoot`, sorted.
    public static func names(stateRoot: String = ClusterSpec.defaultStateRoot) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: stateRoot)) ?? []
        return entries.filter { FileManager.default.fileExists(atPath: "\(stateRoot)/\($0)/state.json") }.sorted()
    }

    /// Creates or repairs the cluster; returns the nodes file describing it.
    @discardableResult
    public func up(installPackages: Bool = false) async throws(ClusterError) -> NodesFile {
        try spec.validate()
        try Prerequisites.requireRoot("schism cluster up")
        try await Prerequisites.ensurePackages(install: installPackages)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: spec.clusterDir, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: ClusterSpec.nodeDataDir, withIntermediateDirectories: true)
        } catch {
            throw ClusterError(.cannotCreate, "cannot create \(spec.clusterDir): \(error)")
        }
        var state = ClusterState.load(spec.statePath) ?? ClusterState(spec: spec)
        if state.spec.netIndex != spec.netIndex {
            throw ClusterError(
                .badRequest, "cluster '\(spec.name)' already uses network index \(state.spec.netIndex)",
                hint: "run `schism cluster down --name \(spec.name)` first")
        }
        let previousCount = max(state.spec.nodeCount, state.nodes.count)
        state.spec = spec
        try state.save(spec.statePath)
        try await checkSubnetFree()

        try await HostCommands.ensureKey(spec.clientKeyPath, comment: "schism-\(spec.name)-client")
        let publicKey = (try? String(contentsOfFile: spec.clientKeyPath + ".pub", encoding: .utf8)) ?? ""
        do {
            try publicKey.write(toFile: "\(spec.clusterDir)/authorized_keys", atomically: true, encoding: .utf8)
        } catch {
            throw ClusterError(.cannotCreate, "cannot write authorized_keys: \(error)")
        }
        try await ensureBridge(&state)

        // Nodes beyond the requested count (from an earlier, larger `up`) are removed.
        if previousCount > spec.nodeCount {
            for i in (spec.nodeCount + 1)...previousCount { await removeNode(i) }
        }
        let version = await Prerequisites.openSSHVersion()
        let oldNodes = state.nodes
        let results = await withTaskGroup(of: Result<ClusterState.Node, ClusterError>.self) { group in
            for i in 1...spec.nodeCount {
                let old = oldNodes.first { $0.name == "n\(i)" }
                group.addTask { () async -> Result<ClusterState.Node, ClusterError> in
                    do throws(ClusterError) {
                        return .success(try await NodeBuilder(spec: spec, index: i).ensure(previous: old, openSSHVersion: version))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var out: [Result<ClusterState.Node, ClusterError>] = []
            for await result in group { out.append(result) }
            return out
        }
        var records: [ClusterState.Node] = []
        var firstError: ClusterError?
        for result in results {
            switch result {
            case .success(let record): records.append(record)
            case .failure(let error): firstError = firstError ?? error
            }
        }
        if let firstError {
            state.nodes = records
            try? state.save(spec.statePath)
            throw firstError
        }
        state.nodes = records.sorted { $0.name.count == $1.name.count ? $0.name < $1.name : $0.name.count < $1.name.count }
        try state.save(spec.statePath)
        try writeKnownHosts()
        let nodes = spec.nodesFile()
        do {
            try nodes.yaml(header: "Written by `schism cluster up` for local cluster '\(spec.name)'.\nRemoved by `schism cluster down`.")
                .write(toFile: spec.nodesFilePath, atomically: true, encoding: .utf8)
        } catch {
            throw ClusterError(.cannotCreate, "cannot write \(spec.nodesFilePath): \(error)")
        }
        return nodes
    }

    private func checkSubnetFree() async throws(ClusterError) {
        guard let out = try? await LocalProcess.run(["ip", "-4", "-o", "addr", "show"]) else { return }
        let prefix = "10.77.\(spec.netIndex)."
        for line in out.stdoutText.split(separator: "\n") where line.contains(" inet \(prefix)") {
            let fields = line.split(separator: " ")
            if fields.count > 1 && fields[1] != Substring(spec.bridge) {
                throw ClusterError(
                    .cannotCreate, "subnet \(spec.subnet) is already used by interface \(fields[1])",
                    hint: "choose another network index (--net-index) for this cluster")
            }
        }
    }

    private func ensureBridge(_ state: inout ClusterState) async throws(ClusterError) {
        if !(await HostCommands.linkNames()).contains(spec.bridge) {
            try await HostCommands.run(["ip", "link", "add", spec.bridge, "type", "bridge"])
            state.bridgeCreated = true
            try state.save(spec.statePath)
        }
        try await HostCommands.run(["ip", "link", "set", spec.bridge, "address", spec.bridgeMAC])
        try await HostCommands.run(["ip", "addr", "replace", "\(spec.bridgeAddress)/24", "dev", spec.bridge])
        try await HostCommands.run(["ip", "link", "set", spec.bridge, "up"])
        // With br_netfilter, bridged node-to-node traffic crosses the host's FORWARD chain.
        if HostCommands.bridgeTrafficFiltered && LocalProcess.which("iptables") != nil {
            let rule = ["FORWARD", "-i", spec.bridge, "-o", spec.bridge, "-j", "ACCEPT"]
            if !(await HostCommands.succeeds(["iptables", "-w", "5", "-C"] + rule)) {
                try await HostCommands.run(["iptables", "-w", "5", "-I"] + rule)
            }
            state.forwardRuleAdded = true
            try state.save(spec.statePath)
        }
    }

    private func writeKnownHosts() throws(ClusterError) {
        var lines = ""
        for i in 1...spec.nodeCount {
            let path = NodeFiles(spec: spec, index: i).hostKeyPath + ".pub"
            guard let key = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ClusterError(.cannotCreate, "cannot read host key \(path)")
            }
            let parts = key.split(separator: " ")
            guard parts.count >= 2 else { throw ClusterError(.cannotCreate, "malformed host key \(path)") }
            lines += "\(spec.address(i)) \(parts[0]) \(parts[1])\n"
        }
        do {
            try lines.write(toFile: spec.knownHostsPath, atomically: true, encoding: .utf8)
        } catch {
            throw ClusterError(.cannotCreate, "cannot write \(spec.knownHostsPath): \(error)")
        }
    }

    /// Removes node `i`: its processes, namespace and veth (best effort, bounded).
    func removeNode(_ i: Int) async {
        let netns = spec.netns(i)
        if await HostCommands.netnsList().contains(netns) {
            await HostCommands.killAll(inNetns: netns)
            _ = await HostCommands.succeeds(["ip", "netns", "del", netns])
        }
        let links = await HostCommands.linkNames()
        for link in [spec.vethHost(i), spec.vethPeer(i)] where links.contains(link) {
            _ = await HostCommands.succeeds(["ip", "link", "del", link])
        }
    }
}
