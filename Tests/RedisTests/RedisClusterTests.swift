import Basics
import Cluster
import ClusterTestKit
import Control
import Faults
import Foundation
import Histories
import NIOCore
import Plugins
import Redis
import Runner
import Systems
import Testing

/// Redis with replicas and Sentinel on a real 3-node local cluster (`redistest`, needs root and
/// Debian's redis-server and redis-sentinel).
@Suite(
    .serialized, .enabled(if: LocalClusterTrait.isRoot, LocalClusterTrait.needsRoot),
    .enabled(if: FileManager.default.isExecutableFile(atPath: RedisConfig.debianServerBinary), "needs Debian's redis-server"),
    .localCluster(ClusterSpec(name: "redistest", netIndex: 182, nodeCount: 3)))
struct RedisClusterTests {
    /// n1 and n2 keep their own clock, n3 has `clock: faketime`.
    func testCluster() throws -> TestCluster {
        let file = try LocalClusterTrait.nodes()
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

    /// Asks until `done` holds, every 200 ms, for at most `seconds`; returns whether it did.
    func eventually(_ seconds: Double, _ done: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        for _ in 0..<Int(seconds * 5 + 2) {
            if await done() { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Writes `value` through `client` until one is ok (at most `tries`).
    func write(_ client: any Client, _ value: Int64, tries: Int = 30) async -> ClientResponse {
        var last = ClientResponse(type: .fail, value: .int(value), error: "not tried")
        for _ in 0..<tries {
            last = await client.invoke(ClientRequest(f: "write", key: "r", value: .int(value)))
            if last.type == .ok { return last }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    @Test("setup, replication, kill and pause of the primary fail over and clients follow, logs, teardown")
    func lifecycleAndFailover() async throws {
        let cluster = try testCluster()
        let db = RedisSystem(config: RedisConfig(readyTimeoutSeconds: 30))
        let (n1, n2, n3) = (try node("n1", cluster), try node("n2", cluster), try node("n3", cluster))
        let factory = RedisClientFactory(config: db.config)
        let started = ContinuousClock.now
        var failure: (any Error)?
        var pids: [String: Int32] = [:]
        do {
            try await db.setup(cluster)
            print("redis 3-node setup (start, replicas in sync, sentinels agree): \(ContinuousClock.now - started)")
            for n in cluster.nodes {
                let pid = try #require(await db.pid(n, in: cluster))
                pids[n.name] = pid
                #expect(try await db.pid(n, .sentinel, in: cluster) != nil)
            }
            #expect(try await db.primaries(in: cluster) == ["n1"])
            let c2 = try factory.makeClient(node: n2, options: ClientOptions(timeoutSeconds: 1, keyPrefix: "t/"))
            let c3 = try factory.makeClient(node: n3, options: ClientOptions(timeoutSeconds: 1, keyPrefix: "t/"))
            #expect(await c2.invoke(ClientRequest(f: "write", key: "r", value: 1)).type == .ok)
            #expect(await c3.invoke(ClientRequest(f: "read", key: "r", value: .null)) == ClientResponse(type: .ok, value: 1))
            #expect(await c3.invoke(ClientRequest(f: "cas", key: "r", value: [1, 2])).type == .ok)
            #expect(await c3.invoke(ClientRequest(f: "cas", key: "r", value: [1, 3])).type == .fail)
            #expect(await c2.invoke(ClientRequest(f: "read", key: "nothing", value: .null)) == ClientResponse(type: .ok, value: .null))
            // Replica reads see the replicated value on n3 itself.
            var replicaConfig = db.config
            replicaConfig.replicaReads = true
            let local3 = try RedisClientFactory(config: replicaConfig).makeClient(node: n3, options: ClientOptions(timeoutSeconds: 1, keyPrefix: "t/"))
            #expect(await eventually(3) { await local3.invoke(ClientRequest(f: "read", key: "r", value: .null)).value == 2 })
            await local3.close()

            // Kill the primary: the Sentinels promote a replica and the clients follow.
            let killStart = ContinuousClock.now
            try await db.kill(n1, in: cluster)
            #expect(try await db.pid(n1, in: cluster) == nil)
            // Before Sentinel notices (1 s), a new client is sent to n1, which refuses: surely not applied.
            let early = try factory.makeClient(node: n2, options: ClientOptions(timeoutSeconds: 1, keyPrefix: "t/"))
            let refused = await early.invoke(ClientRequest(f: "write", key: "r", value: 9))
            await early.close()
            #expect(refused.type == .fail && refused.error?.hasPrefix("connection refused by \(n1.host):6379") == true, "\(refused)")
            let failedOver = await eventually(20) {
                let p = (try? await db.primaries(in: cluster)) ?? []
                return p.first == "n2" || p.first == "n3"
            }
            #expect(failedOver, "no failover within 20 s of killing n1")
            let written = await write(c2, 4)
            print("kill of the primary: failover and a write through the new primary after \(ContinuousClock.now - killStart)")
            #expect(written.type == .ok, "\(written)")
            #expect(await c3.invoke(ClientRequest(f: "read", key: "r", value: .null)).value == 4)
            // The old primary comes back as a replica of the new one, with the data.
            try await db.start(n1, in: cluster)
            let c1 = try factory.makeClient(node: n1, options: ClientOptions(timeoutSeconds: 1, keyPrefix: "t/"))
            let rejoined = await eventually(20) {
                let info = try? await RedisTestProbe.replication(n1, db.config)
                return info?["role"] == "slave" && info?["master_link_status"] == "up"
            }
            #expect(rejoined, "n1 did not rejoin as a replica")
            #expect(await c1.invoke(ClientRequest(f: "read", key: "r", value: .null)).value == 4)

            // Pause the new primary: another failover, and a write through it.
            let primary = try #require(try await db.primaries(in: cluster).first)
            let paused = try node(primary, cluster)
            let pauseStart = ContinuousClock.now
            try await db.pause(paused, in: cluster)
            #expect(try await db.status(paused, in: cluster).hasPrefix("paused "))
            // Until the failover, a write reaches the stopped primary and gets no answer: info.
            let other = try node(primary == "n2" ? "n3" : "n2", cluster)
            let short = try factory.makeClient(node: other, options: ClientOptions(timeoutSeconds: 0.3, keyPrefix: "t/"))
            let stalled = await short.invoke(ClientRequest(f: "write", key: "r", value: 7))
            await short.close()
            #expect(stalled == ClientResponse(type: .info, value: 7, error: "timeout after 0.3s"))
            let movedOn = await eventually(20) {
                let p = (try? await db.primaries(in: cluster)) ?? []
                return !p.isEmpty && p.first != primary
            }
            #expect(movedOn, "no failover within 20 s of pausing \(primary)")
            let writer = primary == "n2" ? c3 : c2
            let afterPause = await write(writer, 5)
            print("pause of the primary: failover and a write through the new primary after \(ContinuousClock.now - pauseStart)")
            #expect(afterPause.type == .ok, "\(afterPause)")
            try await db.resume(paused, in: cluster)

            // n3 has `clock: faketime`, but Redis cannot run under libfaketime (jemalloc): a bump of
            // the node's timestamp file does not move Redis's own clock (TIME), and the system says so.
            #expect(db.readsTimeThroughLibc == false)
            let file = ClockScripts.faketimePath(n3)
            try await cluster.remote(n3).runScript("printf '+30\\n' > \(file)")
            let skew3 = try await RedisTestProbe.serverClockOffsetSeconds(n3, db.config)
            try await cluster.remote(n3).runScript("rm -f \(file)")
            print("Redis TIME minus the controller's clock on n3 with a faketime file of +30 s: \(skew3) s")
            #expect(abs(skew3) < 2, "n3 TIME is \(skew3) s off")

            // Logs download to the controller.
            let local = NSTemporaryDirectory() + "schism-redistest-\(UUID().uuidString).log"
            defer { try? FileManager.default.removeItem(atPath: local) }
            let sentinelLog = try #require(db.logFiles(on: n2).last)
            try await cluster.remote(n2).download(remotePath: sentinelLog, localPath: local)
            #expect(try String(contentsOfFile: local, encoding: .utf8).contains("+switch-master"))
            for c in [c1, c2, c3] { await c.close() }
            for n in cluster.nodes { pids[n.name] = try await db.pid(n, in: cluster) ?? pids[n.name] }
        } catch {
            failure = error
        }
        try await db.teardown(cluster)
        try await db.teardown(cluster)
        for n in cluster.nodes {
            let pid = pids[n.name] ?? 0
            let left = try await cluster.remote(n).runScript("if [ -d /proc/\(pid) ]; then echo running; fi; ls -A \(n.dataDir)")
            #expect(left.isEmpty, "\(n.name): \(left)")
        }
        await cluster.remotes.closeAll()
        if let failure { throw failure }
    }
}

/// Direct questions to a Redis server, for assertions.
enum RedisTestProbe {
    static func ask(_ node: NodeConfig, _ config: RedisConfig, _ command: [String]) async throws -> RESPValue {
        let deadline = NIODeadline.now() + .seconds(2)
        let c = try await RESPConnection.connect(host: node.host, port: config.port, deadline: deadline)
        let answer = try await c.send(command, deadline: deadline)
        await c.close()
        return answer
    }

    /// `INFO replication` as key: value.
    static func replication(_ node: NodeConfig, _ config: RedisConfig) async throws -> [String: String] {
        let text = try await ask(node, config, ["INFO", "replication"]).text ?? ""
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { out[String(parts[0])] = String(parts[1]) }
        }
        return out
    }

    /// The server's `TIME` minus the controller's clock, in seconds.
    static func serverClockOffsetSeconds(_ node: NodeConfig, _ config: RedisConfig) async throws -> Double {
        let before = Date().timeIntervalSince1970
        let answer = try await ask(node, config, ["TIME"])
        let after = Date().timeIntervalSince1970
        guard case .array(let parts?) = answer, parts.count == 2, let s = parts[0].text.flatMap(Double.init),
            let us = parts[1].text.flatMap(Double.init)
        else { throw RESPError.malformed("TIME answered \(answer.summary)") }
        return s + us / 1e6 - (before + after) / 2
    }
}
