import Control
import Systems
import Foundation
import Histories
import Testing

/// Paths, scripts and binary detection, without a running etcd.
@Suite
struct EtcdUnitTests {
    let node = NodeConfig(name: "n2", host: "10.77.193.12", dataDir: "/var/lib/schism/node/")
    let cluster = [
        NodeConfig(name: "n1", host: "10.77.193.11"), NodeConfig(name: "n2", host: "10.77.193.12"),
        NodeConfig(name: "n3", host: "10.77.193.13"),
    ]

    @Test("every path lives under <dataDir>/etcd, the faketime file beside it")
    func layout() {
        let l = EtcdLayout(node: node)
        #expect(l.binary == "/var/lib/schism/node/etcd/etcd")
        #expect(l.data == "/var/lib/schism/node/etcd/data")
        #expect(l.log == "/var/lib/schism/node/etcd/etcd.log")
        #expect(l.pidFile == "/var/lib/schism/node/etcd/etcd.pid")
        #expect(EtcdDatabase.faketimeFile(for: node) == "/var/lib/schism/node/faketime")
        #expect(EtcdDatabase().logFiles(on: node) == ["/var/lib/schism/node/etcd/etcd.log"])
    }

    @Test("the command line names every member by its host")
    func commandLine() {
        let argv = EtcdScripts(config: EtcdConfig(), node: node).argv(node: node, cluster: cluster)
        let flags = Dictionary(stride(from: 1, to: argv.count - 1, by: 2).map { (argv[$0], argv[$0 + 1]) }) { a, _ in a }
        #expect(argv.first == "/var/lib/schism/node/etcd/etcd")
        #expect(flags["--name"] == "n2")
        #expect(flags["--advertise-client-urls"] == "http://10.77.193.12:2379")
        #expect(flags["--listen-peer-urls"] == "http://0.0.0.0:2380")
        #expect(
            flags["--initial-cluster"]
                == "n1=http://10.77.193.11:2380,n2=http://10.77.193.12:2380,n3=http://10.77.193.13:2380")
        #expect(EtcdConfig.url(host: "::1", port: 2379) == "http://[::1]:2379")
    }

    @Test("only faketime nodes get libfaketime in their environment")
    func faketimeEnvironment() {
        var faked = node
        faked.clock = .faketime
        let scripts = EtcdScripts(config: EtcdConfig(), node: faked)
        let start = scripts.start(node: faked, cluster: cluster)
        #expect(start.contains("\"LD_PRELOAD=$lib\""))
        #expect(start.contains("FAKETIME_TIMESTAMP_FILE=/var/lib/schism/node/faketime"))
        #expect(start.contains("FAKETIME_NO_CACHE=1"))
        #expect(start.contains("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"))
        let plain = EtcdScripts(config: EtcdConfig(), node: node).start(node: node, cluster: cluster)
        #expect(!plain.contains("LD_PRELOAD"))
        #expect(scripts.prepare(resetClock: true).contains("printf '+0\\n' > /var/lib/schism/node/faketime"))
    }

    @Test("scripts are valid sh")
    func scriptsParse() async throws {
        let scripts = EtcdScripts(config: EtcdConfig(), node: node)
        var faked = node
        faked.clock = .faketime
        for script in [
            scripts.start(node: node, cluster: cluster), scripts.start(node: faked, cluster: cluster), scripts.kill(),
            scripts.wipe(), scripts.signal(pause: true), scripts.signal(pause: false), scripts.status(),
            scripts.prepare(resetClock: true), scripts.logTail(),
        ] {
            let r = try await LocalRemote().exec(RemoteCommand(argv: ["sh", "-n", "-c", script], timeoutSeconds: 10))
            #expect(r.succeeded, "\(r.stderrText)\n\(script)")
        }
    }

    @Test("etcd is recognised as a Go program that libfaketime cannot reach; sh is not")
    func goDetection() throws {
        try #require(FileManager.default.isExecutableFile(atPath: EtcdConfig.debianBinaryPath), "etcd-server not installed")
        #expect(GoBinary.isGoProgram(path: EtcdConfig.debianBinaryPath))
        #expect(!EtcdDatabase.readsClockThroughLibc(binaryPath: EtcdConfig.debianBinaryPath))
        #expect(EtcdDatabase.readsClockThroughLibc(binaryPath: "/bin/sh"))
        #expect(!GoBinary.isGoProgram(path: "/nonexistent/etcd"))
    }

    @Test("version() reports etcd's version from the controller's binary")
    func version() async throws {
        let v = try await EtcdDatabase().version()
        #expect(v.split(separator: ".").count == 3, "\(v)")
        let missing = EtcdDatabase(config: EtcdConfig(binaryPath: "/nonexistent/etcd"))
        await #expect(throws: SystemError.self) { try await missing.version() }
    }

    @Test("a factory rejects a non-positive timeout and shuts down cleanly")
    func factoryValidation() async {
        let factory = EtcdClientFactory()
        #expect(throws: SystemError.self) { try factory.makeClient(node: node, options: ClientOptions(timeoutSeconds: 0)) }
        await factory.shutdown()
    }
}
