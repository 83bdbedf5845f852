import Control
import Foundation

/// Brings one local node to a healthy state: namespace, veth, files, init and sshd.
struct NodeBuilder {
    let spec: ClusterSpec
    let index: Int

    var files: NodeFiles { NodeFiles(spec: spec, index: index) }

    /// Leaves a healthy node alone; rebuilds anything else. Returns its process record.
    func ensure(previous: ClusterState.Node?, openSSHVersion: Double) async throws(ClusterError) -> ClusterState.Node {
        let netns = spec.netns(index)
        let address = spec.address(index)
        try await files.write(openSSHVersion: openSSHVersion)
        if let previous, let pid = previous.initPid, ProcInfo.isSame(pid, startTicks: previous.initStartTicks),
            await HostCommands.netnsList().contains(netns),
            TCPProbe.canConnect(address: address, port: 22, timeoutMilliseconds: 300)
        {
            return previous
        }
        // Anything half-built goes: processes, namespace, veth. Then build it fresh.
        await LocalCluster(spec: spec).removeNode(index)
        let host = spec.vethHost(index)
        let peer = spec.vethPeer(index)
        try await HostCommands.run(["ip", "netns", "add", netns])
        try await HostCommands.run(["ip", "link", "add", host, "type", "veth", "peer", "name", peer, "address", spec.mac(index)])
        try await HostCommands.run(["ip", "link", "set", peer, "netns", netns])
        try await HostCommands.run(["ip", "-n", netns, "link", "set", peer, "name", "eth0"])
        try await HostCommands.run(["ip", "-n", netns, "addr", "add", "\(address)/24", "dev", "eth0"])
        try await HostCommands.run(["ip", "-n", netns, "link", "set", "eth0", "up"])
        try await HostCommands.run(["ip", "-n", netns, "link", "set", "lo", "up"])
        try await HostCommands.run(["ip", "link", "set", host, "master", spec.bridge, "up"])
        return try await start()
    }

    /// Starts the node's init (and sshd) in a fresh namespace set; waits until sshd answers.
    func start() async throws(ClusterError) -> ClusterState.Node {
        let netns = spec.netns(index)
        let address = spec.address(index)
        try? FileManager.default.removeItem(atPath: files.initLogPath)
        do {
            try LocalProcess.startDetached(files.initCommand(), logPath: files.initLogPath)
        } catch {
            throw ClusterError(.cannotCreate, "cannot start node n\(index): \(error)")
        }
        // Bounded: 10 s for sshd to listen (it takes ~50 ms).
        var listening = false
        for _ in 0..<200 {
            if TCPProbe.canConnect(address: address, port: 22, timeoutMilliseconds: 200) {
                listening = true
                break
            }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        guard listening else {
            let log = (try? String(contentsOfFile: files.initLogPath, encoding: .utf8)) ?? ""
            let sshdLog = (try? String(contentsOfFile: files.sshdLogPath, encoding: .utf8)) ?? ""
            throw ClusterError(
                .cannotCreate, "node n\(index): sshd did not start listening on \(address):22 within 10 s",
                hint: "see \(files.initLogPath) and \(files.sshdLogPath)", detail: tailLines(log + sshdLog))
        }
        var record = ClusterState.Node(name: "n\(index)", netns: netns, address: address)
        for pid in await HostCommands.pids(inNetns: netns) where ProcInfo.innermostPid(pid) == 1 {
            record.initPid = pid
            record.initStartTicks = ProcInfo.startTicks(pid)
        }
        return record
    }
}
