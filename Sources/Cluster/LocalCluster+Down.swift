import Control
import Foundation

/// Removing the cluster, inspecting it, and restarting a node.
extension LocalCluster {
    /// Removes everything `up` created: node processes, namespaces, veths, the bridge, the
    /// FORWARD rule and the cluster folder. Safe to run twice, and after a crash.
    public func down() async throws(ClusterError) {
        try Prerequisites.requireRoot("schism cluster down")
        let state = ClusterState.load(spec.statePath)
        var indexes = Set(state.map { 1...max(1, max($0.spec.nodeCount, $0.nodes.count)) } ?? 1...spec.nodeCount)
        for name in await HostCommands.netnsList() {
            if let i = spec.nodeIndex(ofNetns: name) { indexes.insert(i) }
        }
        await withTaskGroup(of: Void.self) { group in
            for i in indexes { group.addTask { await removeNode(i) } }
        }
        let rule = ["FORWARD", "-i", spec.bridge, "-o", spec.bridge, "-j", "ACCEPT"]
        if LocalProcess.which("iptables") != nil {
            // Bounded: a rule inserted by several interrupted `up`s is removed up to 5 times.
            for _ in 0..<5 where await HostCommands.succeeds(["iptables", "-w", "5", "-C"] + rule) {
                _ = await HostCommands.succeeds(["iptables", "-w", "5", "-D"] + rule)
            }
        }
        if await HostCommands.linkNames().contains(spec.bridge) {
            _ = await HostCommands.succeeds(["ip", "link", "del", spec.bridge])
        }
        var leftovers: [String] = []
        let netns = await HostCommands.netnsList().filter { spec.nodeIndex(ofNetns: $0) != nil }
        leftovers += netns.map { "namespace \($0)" }
        if await HostCommands.linkNames().contains(spec.bridge) { leftovers.append("bridge \(spec.bridge)") }
        guard leftovers.isEmpty else {
            throw ClusterError(
                .cannotRemove, "could not remove \(leftovers.joined(separator: ", "))",
                hint: "check `ip netns pids <name>` for processes, then run `schism cluster down` again")
        }
        try? FileManager.default.removeItem(atPath: spec.clusterDir)
        // Remove the shared folders only when no other cluster uses them (rmdir fails otherwise).
        if rmdir(spec.stateRoot) == 0 && spec.stateRoot == ClusterSpec.defaultStateRoot {
            rmdir(ClusterSpec.nodeDataDir)
            rmdir((ClusterSpec.nodeDataDir as NSString).deletingLastPathComponent)
        }
    }

    /// One node's state as `status` shows it.
    public struct NodeStatus: Sendable {
        /// `n1`...
        public var name: String
        /// Its address.
        public var address: String
        /// Whether its namespace exists.
        public var namespaceExists: Bool
        /// Whether its recorded init process runs.
        public var initRunning: Bool
        /// Whether its sshd accepts connections.
        public var sshdListening: Bool

        /// `up` when everything works, else what is missing.
        public var summary: String {
            if namespaceExists && initRunning && sshdListening { return "up" }
            if !namespaceExists { return "down (no namespace)" }
            if !initRunning { return "down (node processes gone)" }
            return "degraded (sshd not answering)"
        }
    }

    /// Each node's state, from the state file and live checks.
    public func status() async -> [NodeStatus] {
        let state = ClusterState.load(spec.statePath)
        let namespaces = Set(await HostCommands.netnsList())
        return (1...spec.nodeCount).map { i in
            let record = state?.nodes.first { $0.name == "n\(i)" }
            let running = record.flatMap { r in r.initPid.map { ProcInfo.isSame($0, startTicks: r.initStartTicks) } } ?? false
            return NodeStatus(
                name: "n\(i)", address: spec.address(i), namespaceExists: namespaces.contains(spec.netns(i)),
                initRunning: running,
                sshdListening: TCPProbe.canConnect(address: spec.address(i), port: 22, timeoutMilliseconds: 300))
        }
    }

    /// Kills every process of node `name` (like a host crash) and starts it again with the same keys.
    public func restartNode(_ name: String) async throws(ClusterError) {
        try Prerequisites.requireRoot("restarting a node")
        guard name.hasPrefix("n"), let i = Int(name.dropFirst()), (1...spec.nodeCount).contains(i),
            var state = ClusterState.load(spec.statePath)
        else {
            throw ClusterError(.notUp, "no node \(name) in cluster '\(spec.name)'")
        }
        await HostCommands.killAll(inNetns: spec.netns(i))
        let record = try await NodeBuilder(spec: spec, index: i).start()
        state.nodes.removeAll { $0.name == name }
        state.nodes.append(record)
        try state.save(spec.statePath)
    }
}
