import Cluster
import Control
import Foundation
import Testing

@Suite("libssh remote against a local cluster", .serialized, .enabled(if: isRoot, needsRootReason), .sshTestCluster)
struct RemoteIntegrationTests {
    func remote(_ index: Int, options: SSHOptions = SSHOptions()) throws -> SSHRemote {
        SSHRemote(try ClusterFixture.current().nodes[index], options: options)
    }

    @Test("exec: stdin, stdout, stderr, exit codes, and a node of its own")
    func execBasics() async throws {
        let n1 = try remote(0)
        let echo = try await n1.exec(RemoteCommand(script: "tr a-z A-Z; echo to-stderr >&2; exit 4", stdin: Array("abc\n".utf8)))
        #expect(echo.stdoutText == "ABC\n")
        #expect(echo.stderrText == "to-stderr\n")
        #expect(echo.exitStatus == 4)
        #expect(try await n1.run(["hostname"]) == "n1\n")
        #expect(try await n1.run(["sh", "-c", "echo $$"]) != "1\n")
        #expect(try await n1.runScript("cat /proc/1/cmdline | tr '\\0' ' '").contains("schism-node-init"))
        let big = try await n1.exec(RemoteCommand(script: "head -c 3000000 /dev/zero", outputLimitBytes: 1 << 20))
        #expect(big.stdout.count == 1 << 20 && big.stdoutDroppedBytes == 3_000_000 - (1 << 20))
        do {
            try await n1.run(["sh", "-c", "echo boom >&2; exit 9"])
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .commandFailed && error.exitStatus == 9 && error.stderrTail == "boom")
            #expect(error.node == "n1")
        }
        await n1.close()
    }

    @Test("a timed-out command is gone from the node afterwards")
    func timeoutKills() async throws {
        let n2 = try remote(1)
        let start = ContinuousClock.now
        do {
            _ = try await n2.exec(RemoteCommand(script: "echo $$ > /tmp/slow.pid; exec sleep 60", timeoutSeconds: 1))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timedOut)
        }
        #expect(ContinuousClock.now - start < .seconds(6))
        let pid = try await n2.run(["cat", "/tmp/slow.pid"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!pid.isEmpty)
        let alive = try await n2.exec(RemoteCommand(script: "kill -0 \(pid) 2>/dev/null"))
        #expect(alive.exitStatus != 0, "process \(pid) still runs on n2 after its timeout")
        await n2.close()
    }

    @Test("upload and download 10 MB with matching checksums")
    func transfers() async throws {
        let n3 = try remote(2)
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = [UInt8](repeating: 0, count: 10_000_000)
        var rng = SystemRandomNumberGenerator()
        for i in stride(from: 0, to: bytes.count, by: 8) {
            withUnsafeBytes(of: rng.next()) { raw in
                for j in 0..<min(8, bytes.count - i) { bytes[i + j] = raw[j] }
            }
        }
        let local = dir + "/blob"
        #expect(FileManager.default.createFile(atPath: local, contents: Data(bytes)))
        try await n3.upload(localPath: local, remotePath: "/tmp/blob", mode: 0o640)
        let localSum = try await LocalRemote().run(["sha256sum", local]).prefix(64)
        let remoteSum = try await n3.run(["sha256sum", "/tmp/blob"]).prefix(64)
        #expect(localSum == remoteSum)
        #expect(try await n3.run(["stat", "-c", "%a %s", "/tmp/blob"]) == "640 10000000\n")
        try await n3.download(remotePath: "/tmp/blob", localPath: dir + "/back")
        #expect(FileManager.default.contents(atPath: dir + "/back") == Data(bytes))
        do {
            try await n3.download(remotePath: "/tmp/no-such-file", localPath: dir + "/x")
            Issue.record("expected a transfer error")
        } catch {
            #expect(error.kind == .transferFailed && error.description.contains("no such file"))
        }
        await n3.close()
    }

    @Test("unknown host keys are refused with a fix; --accept-new-host-keys records them")
    func unknownHostKey() async throws {
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var node = try ClusterFixture.current().nodes[0]
        node.knownHostsFile = dir + "/known_hosts"
        do {
            try await SSHRemote(node).connect()
            Issue.record("expected refusal")
        } catch {
            #expect(error.kind == .hostKeyUnknown && error.exitCode == 77)
            #expect(error.description.contains("ssh-keyscan") && error.description.contains("--accept-new-host-keys"))
            #expect(error.description.contains("SHA256:"))
        }
        let accepting = SSHRemote(node, options: SSHOptions(acceptNewHostKeys: true))
        try await accepting.connect()
        await accepting.close()
        let recorded = try String(contentsOfFile: dir + "/known_hosts", encoding: .utf8)
        #expect(recorded.contains(node.host))
        try await SSHRemote(node).connect()
    }

    @Test("a changed host key is always refused, showing both fingerprints")
    func changedHostKey() async throws {
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let nodes = try ClusterFixture.current().nodes
        // Claim n1's address has n2's key.
        let n2Key = try String(contentsOfFile: ClusterFixture.spec.nodeDir(2) + "/ssh_host_ed25519_key.pub", encoding: .utf8)
        let parts = n2Key.split(separator: " ")
        try "\(nodes[0].host) \(parts[0]) \(parts[1])\n".write(toFile: dir + "/known_hosts", atomically: true, encoding: .utf8)
        var node = nodes[0]
        node.knownHostsFile = dir + "/known_hosts"
        do {
            try await SSHRemote(node, options: SSHOptions(acceptNewHostKeys: true)).connect()
            Issue.record("expected refusal")
        } catch {
            #expect(error.kind == .hostKeyChanged)
            #expect(error.description.components(separatedBy: "SHA256:").count == 3, "\(error)")
        }
    }

    @Test("a wrong key is refused")
    func wrongKey() async throws {
        let dir = try scratchDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await LocalProcess.check(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir + "/wrong"])
        var node = try ClusterFixture.current().nodes[0]
        node.identityFile = dir + "/wrong"
        do {
            try await SSHRemote(node).connect()
            Issue.record("expected refusal")
        } catch {
            #expect(error.kind == .authenticationFailed && error.description.contains("authorized_keys"))
        }
    }

    @Test("an unreachable node fails within its connect timeout")
    func unreachable() async throws {
        var node = try ClusterFixture.current().nodes[0]
        node.name = "ghost"
        node.host = "10.77.\(ClusterFixture.spec.netIndex).250"  // on our bridge, no host there
        node.connectTimeoutSeconds = 1.5
        let start = ContinuousClock.now
        do {
            _ = try await SSHRemote(node).run(["true"])
            Issue.record("expected unreachable")
        } catch {
            #expect(error.kind == .unreachable && error.exitCode == 69 && error.node == "ghost")
        }
        #expect(ContinuousClock.now - start < .seconds(4))
    }

    @Test("parallel exec on 5 nodes, and at most 8 channels at once on one connection")
    func parallel() async throws {
        let set = RemoteSet(nodesFile: try ClusterFixture.current())
        let results = await set.execAll(RemoteCommand(argv: ["hostname"]))
        #expect(try results.map { try $0.result.get().stdoutText } == ["n1\n", "n2\n", "n3\n", "n4\n", "n5\n"])
        let n4 = set.remotes[3]
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 { group.addTask { try await n4.run(["sleep", "0.3"]) } }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(600) && elapsed < .seconds(3), "16 sleeps of 0.3 s took \(elapsed)")
        await set.closeAll()
    }

    @Test("a remote recovers after its node's sshd (and every connection) restarts")
    func recovery() async throws {
        let n5 = try remote(4)
        #expect(try await n5.run(["hostname"]) == "n5\n")
        try await LocalCluster(spec: ClusterFixture.spec).restartNode("n5")
        #expect(try await n5.run(["hostname"]) == "n5\n")
        await n5.close()
    }
}
