import Basics
import Config
import Control
import Foundation
@testable import Redis
import Systems
import Testing

/// The Redis plug-in's fields, its configuration files and scripts, without a node.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: RedisConfig.debianServerBinary), "needs Debian's redis-server"))
struct RedisUnitTests {
    func db(_ yaml: String) throws -> ConfigSection {
        try ConfigSection(file: "w.yml", path: "", node: ConfigNode.parse(yaml, file: "w.yml")).section("db")
    }

    func node(_ name: String, _ host: String) -> NodeConfig {
        NodeConfig(name: name, host: host, dataDir: "/var/lib/schism/node")
    }

    @Test("defaults, and every field reaching the configuration, the notes and test.json")
    func fields() throws {
        let plugin = RedisPlugin()
        #expect(plugin.name == "redis" && plugin.workloadKinds == ["register"])
        let plain = try #require(try plugin.configure(try db("db:\n  system: redis\n")).system as? RedisSystem)
        #expect(plain.config == RedisConfig())
        #expect(plain.notes.isEmpty)
        #expect(plain.readsTimeThroughLibc == false)
        let configured = try plugin.configure(try db("""
            db:
              system: redis
              replica-reads: true
              wait: 2
              wait-timeout: 150ms
              down-after: 2s
              failover-timeout: 5s
              quorum: 3
              append-only: false
            """))
        let system = try #require(configured.system as? RedisSystem)
        let c = system.config
        #expect(c.replicaReads && c.waitReplicas == 2 && c.waitTimeoutMilliseconds == 150)
        #expect(c.downAfterMilliseconds == 2_000 && c.failoverTimeoutMilliseconds == 5_000 && c.quorum == 3 && !c.appendOnly)
        #expect(system.notes.count == 2)
        #expect(configured.settings["wait"] == 2 && configured.settings["replica-reads"] == true && configured.settings["quorum"] == 3)
        #expect((configured.makeClients() as? RedisClientFactory)?.config == c)
    }

    @Test("unknown fields, bad values and a missing binary are refused with file, line and field")
    func errors() {
        let cases: [(String, String)] = [
            ("db:\n  system: redis\n  replica_reads: true\n", "w.yml:3: db.replica_reads: unknown field; expected one of replica-reads, wait,"),
            ("db:\n  system: redis\n  wait: -1\n", "w.yml:3: db.wait:"),
            ("db:\n  system: redis\n  binary: /nonexistent/redis-server\n", "w.yml:3: db.binary: no executable Redis at /nonexistent/redis-server; install Debian's redis-server"),
        ]
        for (yaml, expected) in cases {
            let error = #expect(throws: ConfigError.self) { try RedisPlugin().configure(try db(yaml)) }
            #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
        }
    }

    @Test("the first node is the primary, the others replicate it; Sentinel monitors it with a majority quorum")
    func configurationFiles() {
        let (n1, n2) = (node("n1", "10.0.0.1"), node("n2", "10.0.0.2"))
        let config = RedisConfig()
        let primary = RedisScripts(config: config, node: n1).serverConf(primary: n1)
        let replica = RedisScripts(config: config, node: n2).serverConf(primary: n1)
        #expect(!primary.contains("replicaof"))
        #expect(replica.contains("replicaof 10.0.0.1 6379\n"))
        #expect(replica.contains("appendonly yes\n") && replica.contains("dir \"/var/lib/schism/node/redis/data\"\n"))
        let sentinel = RedisScripts(config: config, node: n2).sentinelConf(primary: n1, nodeCount: 3)
        #expect(sentinel.contains("sentinel monitor schism 10.0.0.1 6379 2\n"))
        #expect(sentinel.contains("sentinel down-after-milliseconds schism 1000\n"))
        #expect(sentinel.contains("sentinel failover-timeout schism 3000\n"))
        #expect(RedisConfig().quorum(nodeCount: 5) == 3 && RedisConfig(quorum: 1).quorum(nodeCount: 5) == 1)
    }

    @Test("scripts find daemons by pidfile and executable, never by name; teardown covers both daemons")
    func scripts() {
        let s = RedisScripts(config: RedisConfig(), node: node("n1", "10.0.0.1"))
        let start = s.start(.sentinel)
        #expect(start.contains("/var/lib/schism/node/redis/sentinel.pid"))
        #expect(start.contains("/usr/bin/redis-server /var/lib/schism/node/redis/sentinel.conf --sentinel >>"))
        #expect(start.contains("owns_port \"$pid\" 26379"))
        #expect(!start.contains("LD_PRELOAD"))
        #expect(s.start(.server).contains("owns_port \"$pid\" 6379") && !s.start(.server).contains("--sentinel"))
        let wipe = s.wipe()
        #expect(wipe.contains("redis.pid") && wipe.contains("sentinel.pid") && wipe.contains("rm -rf /var/lib/schism/node/redis\n"))
        for script in [start, wipe, s.kill(.server), s.signal(.server, pause: true)] {
            #expect(!script.contains("pkill") && !script.contains("killall"))
            #expect(script.contains("readlink \"/proc/$1/exe\""))
        }
    }

    @Test("INFO and SENTINEL answers are read as fields")
    func answers() {
        let info = RedisSentinel.infoFields("# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=10.0.0.2,port=6379,state=online\r\n")
        #expect(info["role"] == "master" && info["connected_slaves"] == "2" && info["slave0"]?.contains("state=online") == true)
        let pairs = RedisSentinel.pairs(.array([.bulkString(Array("ip".utf8)), .bulkString(Array("10.0.0.1".utf8)), .bulkString(Array("num-slaves".utf8)), .bulkString(Array("2".utf8))]))
        #expect(pairs == ["ip": "10.0.0.1", "num-slaves": "2"])
        #expect(RedisSentinel.pairs(.array([.integer(1)])).isEmpty)
    }
}
