import Cluster
import Control
import Etcd
import Systems
import Foundation
import Histories
import Testing

/// etcd's lifecycle on a real 3-node local cluster (needs root).
@Suite(.serialized, .enabled(if: isRoot, needsRootReason), .etcdtestCluster)
struct EtcdClusterTests {
    /// n1 and n2 keep their own clock, n3 runs under libfaketime.
    func testCluster() throws -> TestCluster {
        let file = try EtcdClusterFixture.current()
        let nodes = file.nodes.map { node in
            var n = node
            n.clock = node.name == "n3" ? .faketime : .system
            return n
        }
        return TestCluster(nodes: nodes, remotes: RemoteSet(nodesFile: file))
    }

    func node(_ name: String, _ cluster: TestCluster) throws -> NodeConfig {
        try #require(cluster.nodes.first { $0.name == name })
    }

    /// Runs `body` between setup and teardown; tears down (and closes connections) also on failure.
    func withEtcd(
        _ database: EtcdSystem, _ cluster: TestCluster, _ body: () async throws -> Void
    ) async throws {
        try await tearingDown(database, cluster) {
            try await database.setup(cluster)
            try await body()
        }
    }

    /// Runs `body`, then tears `database` down and closes connections, also when `body` fails.
    func tearingDown(
        _ database: EtcdSystem, _ cluster: TestCluster, after body: () async throws -> Void
    ) async throws {
        var failure: (any Error)?
        do { try await body() } catch { failure = error }
        do { try await database.teardown(cluster) } catch { failure = failure ?? error }
        await cluster.remotes.closeAll()
        if let failure { throw failure }
    }

    @Test("setup, replicated writes, kill and start, pause and resume, logs, faketime, teardown")
    func lifecycle() async throws {
        let cluster = try testCluster()
        let db = EtcdSystem(config: EtcdConfig(healthTimeoutSeconds: 30))
        let (n1, n2, n3) = (try node("n1", cluster), try node("n2", cluster), try node("n3", cluster))
        var pids: [String: Int32] = [:]
        let factory = EtcdClientFactory()
        let setupStart = ContinuousClock.now
        try await withEtcd(db, cluster) {
            print("etcd 3-node setup (upload, start, healthy): \(ContinuousClock.now - setupStart)")
            for n in cluster.nodes {
                let pid = try #require(await db.pid(n, in: cluster))
                pids[n.name] = pid
            }
            let c1 = try factory.makeClient(node: n1, options: ClientOptions(timeoutSeconds: 2))
            let c3 = try factory.makeClient(node: n3, options: ClientOptions(timeoutSeconds: 2))
            #expect(await c1.invoke(ClientRequest(f: "write", key: "r", value: 7)).type == .ok)
            #expect((await c3.invoke(ClientRequest(f: "read", key: "r", value: .null))).unversioned == ClientResponse(type: .ok, value: 7))

            // Kill n2 by PID: the others still serve; start it again with its data.
            try await db.kill(n2, in: cluster)
            #expect(try await db.pid(n2, in: cluster) == nil)
            try await db.kill(n2, in: cluster)  // a no-op on a dead member
            // The two others keep a quorum; on a loaded machine the first try may time out, so try a few times.
            var written = false
            for _ in 0..<5 where !written {
                written = await c1.invoke(ClientRequest(f: "write", key: "r", value: 8)).type == .ok
            }
            #expect(written, "no write succeeded with n2 down")
            try await db.start(n2, in: cluster)
            try await db.waitHealthy([n2], in: cluster)
            let c2 = try factory.makeClient(node: n2, options: ClientOptions(timeoutSeconds: 2))
            #expect(await c2.invoke(ClientRequest(f: "read", key: "r", value: .null)).value == 8)

            // Pause n3: a write through n3 is info at its deadline; after resume it serves again.
            try await db.pause(n3, in: cluster)
            #expect(try await db.status(n3, in: cluster).hasPrefix("paused "))
            let short = try factory.makeClient(node: n3, options: ClientOptions(timeoutSeconds: 0.5))
            #expect(await short.invoke(ClientRequest(f: "write", key: "r", value: 9)).type == .info)
            try await db.resume(n3, in: cluster)
            try await db.waitHealthy([n3], in: cluster)
            #expect(await c3.invoke(ClientRequest(f: "read", key: "r", value: .null)).type == .ok)

            // n3 runs under libfaketime with the timestamp file; n1 does not.
            let env3 = try await environment(of: n3, in: cluster, db: db)
            #expect(env3.contains { $0.hasPrefix("LD_PRELOAD=") && $0.contains("libfaketime") }, "\(env3)")
            #expect(env3.contains("FAKETIME_TIMESTAMP_FILE=\(EtcdSystem.faketimeFile(for: n3))"))
            #expect(env3.contains("FAKETIME_NO_CACHE=1"))
            let clock = try await cluster.remote(n3).runScript("cat \(EtcdSystem.faketimeFile(for: n3))")
            #expect(clock == "+0\n")
            #expect(!(try await environment(of: n1, in: cluster, db: db)).contains { $0.hasPrefix("LD_PRELOAD=") })

            // A member whose client port drops SYNs (a partition): connect timeout, a definite fail.
            let n2Remote = try cluster.remote(n2)
            let drop = "INPUT -p tcp --dport \(db.config.clientPort) -j DROP"
            try await n2Remote.runScript("iptables -I \(drop)")
            let fresh = EtcdClientFactory(config: db.config, connectTimeoutSeconds: 0.3)
            let start = ContinuousClock.now
            let cut = await (try fresh.makeClient(node: n2, options: ClientOptions(timeoutSeconds: 2))).invoke(
                ClientRequest(f: "write", key: "r", value: 10))
            let elapsed = ContinuousClock.now - start
            await fresh.shutdown()
            try await n2Remote.runScript("iptables -D \(drop)")
            #expect(cut.type == .fail && cut.error == "connect timeout", "\(cut)")
            #expect(elapsed < .seconds(1.5), "took \(elapsed)")

            // Logs download to the controller.
            let local = NSTemporaryDirectory() + "schism-dbtest-\(UUID().uuidString).log"
            defer { try? FileManager.default.removeItem(atPath: local) }
            for path in db.logFiles(on: n1) { try await cluster.remote(n1).download(remotePath: path, localPath: local) }
            #expect(try String(contentsOfFile: local, encoding: .utf8).contains("=== schism: starting etcd on n1"))
            for n in cluster.nodes { pids[n.name] = try await db.pid(n, in: cluster) }
        }
        await factory.shutdown()

        // Teardown left no etcd (checked by PID) and no files; a second teardown is fine.
        let teardownStart = ContinuousClock.now
        try await db.teardown(cluster)
        print("etcd 3-node teardown when already torn down: \(ContinuousClock.now - teardownStart)")
        for n in cluster.nodes {
            let pid = try #require(pids[n.name])
            let left = try await cluster.remote(n).runScript(
                "if [ -d /proc/\(pid) ]; then echo running; fi; ls -A \(n.dataDir)")
            #expect(left.isEmpty, "\(n.name): \(left)")
        }
        await cluster.remotes.closeAll()
    }

    @Test("a member that cannot start fails setup with its node and log; teardown still cleans up")
    func failedSetup() async throws {
        let cluster = try testCluster()
        let db = EtcdSystem(config: EtcdConfig(healthTimeoutSeconds: 5, extraArgs: ["--no-such-flag"]))
        let error = await #expect(throws: SystemError.self) { try await db.setup(cluster) }
        #expect(error?.description.contains("etcd exited right after starting") == true, "\(String(describing: error))")
        #expect(error?.description.contains("no-such-flag") == true, "\(String(describing: error))")
        try await db.teardown(cluster)
        try await db.teardown(cluster)
        for n in cluster.nodes {
            #expect(try await cluster.remote(n).runScript("ls -A \(n.dataDir)").isEmpty)
        }
        await cluster.remotes.closeAll()
    }

    @Test("a member without quorum fails setup at the health deadline, with the URL and log tail")
    func unhealthySetup() async throws {
        let cluster = try testCluster()
        let (n1, n2) = (try node("n1", cluster), try node("n2", cluster))
        // n1 alone, told that n2 is a member too: it never has a quorum, so never healthy.
        let config = EtcdConfig(healthTimeoutSeconds: 3)
        let initial = [n1, n2].map { "\($0.name)=\(config.peerURL($0))" }.joined(separator: ",")
        var lonely = config
        lonely.extraArgs = ["--initial-cluster", initial]
        let db = EtcdSystem(config: lonely)
        let solo = TestCluster(nodes: [n1], remotes: cluster.remotes)
        let start = ContinuousClock.now
        let error = await #expect(throws: SystemError.self) { try await db.setup(solo) }
        let elapsed = ContinuousClock.now - start
        print("unhealthy setup error after \(elapsed):\n\(error?.description ?? "none")")
        #expect(error?.node == "n1")
        #expect(error?.message.contains("not healthy after 3.0 s: GET http://\(n1.host):2379/health") == true)
        #expect(error?.detail.contains("process: running ") == true)
        #expect(error?.detail.contains("etcd.log (last 30 lines)") == true)
        // Bounded by the 3 s deadline, not the 30 s default (setup's own steps take seconds more
        // when the suites run side by side: 13.5 s was seen).
        #expect(elapsed < .seconds(25))
        try await db.teardown(solo)
        await cluster.remotes.closeAll()
    }

    @Test("setup after a crashed run ends the old daemons by PID, wipes their data and verifies the new members")
    func setupAfterCrash() async throws {
        let cluster = try testCluster()
        let n1 = try node("n1", cluster)
        let old = EtcdSystem(config: EtcdConfig(healthTimeoutSeconds: 30))
        let new = EtcdSystem(config: EtcdConfig(healthTimeoutSeconds: 30))
        let oldToken = try #require(old.config.clusterToken)
        let newToken = try #require(new.config.clusterToken)
        try await tearingDown(new, cluster) {
            try await old.setup(cluster)
            let factory = EtcdClientFactory()
            let writer = try factory.makeClient(node: n1, options: ClientOptions(timeoutSeconds: 2, keyPrefix: "run-old/"))
            #expect(await writer.invoke(ClientRequest(f: "write", key: "r", value: 3)).type == .ok)
            #expect((await writer.invoke(ClientRequest(f: "read", key: "r", value: .null))).unversioned == ClientResponse(type: .ok, value: 3))
            await factory.shutdown()
            var oldPids: [String: Int32] = [:]
            for n in cluster.nodes {
                let pid = try await old.pid(n, in: cluster)
                let running = try #require(pid, "no etcd on \(n.name)")
                oldPids[n.name] = running
            }

            // The controller "crashed": no teardown; etcd still runs with its data. A new run sets up.
            let setupStart = ContinuousClock.now
            try await new.setup(cluster)
            print("etcd 3-node setup over a crashed run's cluster: \(ContinuousClock.now - setupStart)")

            let readers = EtcdClientFactory()
            for n in cluster.nodes {
                let oldPid = try #require(oldPids[n.name])
                let remote = try cluster.remote(n)
                #expect(try await remote.runScript("[ -d /proc/\(oldPid) ] && echo running || echo gone") == "gone\n", "\(n.name)")
                let newPid = try #require(try await new.pid(n, in: cluster))
                #expect(newPid != oldPid)
                // The member answering on etcd's ports is the one this setup started, with this run's token.
                try await new.verifyServing(n, pid: String(newPid), in: cluster)
                let wrong = await #expect(throws: SystemError.self) {
                    try await new.verifyServing(n, pid: String(oldPid), in: cluster)
                }
                #expect(wrong?.description.contains("is held by pid \(newPid) (\(EtcdLayout(node: n).binary)") == true, "\(String(describing: wrong))")
                let cmdline = try await remote.runScript("tr '\\000' ' ' < /proc/\(newPid)/cmdline")
                #expect(cmdline.contains("--initial-cluster-token \(newToken)") && !cmdline.contains(oldToken), "\(cmdline)")
                // The old value is gone, under the old run's prefix and under a new one.
                for prefix in ["run-old/", "run-new/"] {
                    let client = try readers.makeClient(node: n, options: ClientOptions(timeoutSeconds: 2, keyPrefix: prefix))
                    let r = await client.invoke(ClientRequest(f: "read", key: "r", value: .null))
                    #expect(r.unversioned == ClientResponse(type: .ok, value: .null), "\(n.name) \(prefix): \(r)")
                }
            }
            await readers.shutdown()
        }
    }

    @Test("an etcd left running without its pidfile makes setup fail instead of being reused")
    func unidentifiedDaemonFailsSetup() async throws {
        let cluster = try testCluster()
        let n1 = try node("n1", cluster)
        let stale = EtcdSystem(config: EtcdConfig(healthTimeoutSeconds: 30))
        let new = EtcdSystem(config: EtcdConfig(healthTimeoutSeconds: 10))
        try await tearingDown(new, cluster) {
            try await stale.setup(cluster)
            let orphan = try #require(try await stale.pid(n1, in: cluster))
            // The pidfile is lost (e.g. a crash between start and pidfile): setup cannot know it is ours.
            try await cluster.remote(n1).runScript("rm -f \(EtcdLayout(node: n1).pidFile)")
            let error = await #expect(throws: SystemError.self) { try await new.setup(cluster) }
            print("setup with an unidentified etcd on n1:\n\(error?.description ?? "none")")
            // The orphan is a process this test started: end it by its PID.
            try await cluster.remote(n1).runScript("kill -KILL \(orphan) 2>/dev/null || true")
        }
    }

    /// The environment of etcd on `node`, one `NAME=value` per element.
    func environment(of node: NodeConfig, in cluster: TestCluster, db: EtcdSystem) async throws -> [String] {
        let pid = try #require(try await db.pid(node, in: cluster))
        let text = try await cluster.remote(node).runScript("tr '\\000' '\\n' < /proc/\(pid)/environ")
        return text.split(separator: "\n").map(String.init)
    }
}
