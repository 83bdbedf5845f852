import Basics
import Config
import Etcd
import Foundation
import Systems
import Testing

/// The `db:` section of a workload file as the etcd plug-in reads it.
@Suite
struct EtcdPluginTests {
    /// The `db:` section of `yaml` (a whole workload file).
    func db(_ yaml: String) throws -> ConfigSection {
        try ConfigSection(file: "w.yml", path: "", node: ConfigNode.parse(yaml, file: "w.yml")).section("db")
    }

    @Test("defaults: Debian's binary, linearizable reads, no notes; settings for test.json")
    func defaults() async throws {
        let plugin = EtcdPlugin()
        #expect(plugin.name == "etcd" && plugin.workloadKinds == ["register", "list-append", "rw-register"])
        let configured = try plugin.configure(try db("db:\n  system: etcd\n"))
        let system = try #require(configured.system as? EtcdSystem)
        #expect(system.config.binaryPath == EtcdConfig.debianBinaryPath)
        #expect(system.notes.isEmpty)
        #expect(configured.settings == ["binary": "/usr/bin/etcd", "reads": "linearizable"])
        let clients = configured.makeClients()
        #expect((clients as? EtcdClientFactory)?.config.serializableReads == false)
        await clients.shutdown()
    }

    @Test("reads: serializable reaches the clients and the run's notes")
    func serializable() async throws {
        let configured = try EtcdPlugin().configure(try db("db:\n  system: etcd\n  reads: serializable\n"))
        #expect(configured.system.notes.first?.hasPrefix("Reads are serializable") == true)
        let clients = configured.makeClients()
        #expect((clients as? EtcdClientFactory)?.config.serializableReads == true)
        #expect(configured.settings["reads"] == "serializable")
        await clients.shutdown()
    }

    @Test("unknown fields, bad choices and unusable binaries are refused with file, line and field")
    func errors() throws {
        let text = NSTemporaryDirectory() + "schism-not-a-program-\(UUID().uuidString)"
        try #require(FileManager.default.createFile(atPath: text, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        defer { try? FileManager.default.removeItem(atPath: text) }
        let cases: [(String, String)] = [
            ("db:\n  system: etcd\n  binnary: /usr/bin/etcd\n", "w.yml:3: db.binnary: unknown field; expected one of binary, reads"),
            ("db:\n  system: etcd\n  reads: sometimes\n", "w.yml:3: db.reads: \"sometimes\" is not one of linearizable, serializable"),
            (
                "db:\n  system: etcd\n  binary: /nonexistent/etcd\n",
                "w.yml:3: db.binary: no executable etcd at /nonexistent/etcd; "
                    + "install Debian's etcd-server (apt-get install etcd-server) or set db.binary"
            ),
            ("db:\n  system: etcd\n  binary: \(text)\n", "w.yml:3: db.binary: no executable etcd at \(text);"),
        ]
        for (yaml, expected) in cases {
            let error = #expect(throws: ConfigError.self) { try EtcdPlugin().configure(try db(yaml)) }
            #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
        }
    }

    @Test("every EtcdSystem value gets its own cluster token unless one is given")
    func clusterTokens() {
        let (a, b) = (EtcdSystem(), EtcdSystem())
        #expect(a.config.clusterToken != nil && a.config.clusterToken != b.config.clusterToken)
        #expect(EtcdSystem(config: EtcdConfig(clusterToken: "fixed")).config.clusterToken == "fixed")
    }
}
