import BringYourOwn
import Config
import Foundation
import Plugins
import Runner
import Systems
import Testing

/// Parse-time refusals and templates of the `binary` system (no nodes needed).
@Suite struct BinaryConfigTests {
    /// A workload file for the example server with `db` lines replaced as given.
    static func file(db: String) -> String {
        """
        name: t
        db:
        \(db)
        workload: {kind: register}
        """
    }

    static let goodDB = """
          system: binary
          install: {file: Workloads/examples/example_kv.py}
          start: python3 {binary} --listen {address}:{port} --cluster {addresses}
          port: 7000
          client: {protocol: stdio, command: "python3 Workloads/examples/kv_client.py --url http://{address}:{port}"}
        """

    func parse(_ db: String) throws(ConfigError) -> TestPlan {
        try TestPlanParser(registry: BuiltIn.registry).parse(Self.file(db: db), file: "my.yml")
    }

    func refusal(_ db: String) -> ConfigError? {
        do { _ = try parse(db) } catch { return error }
        return nil
    }

    @Test func theShippedWorkloadsParse() throws {
        for name in ["unsafe-kv", "safe-kv"] {
            let plan = try TestPlanParser(registry: BuiltIn.registry).read(path: "Workloads/\(name).yml")
            #expect(plan.systemName == "binary")
            #expect(plan.system.system.readsTimeThroughLibc == true)
        }
        #expect(try parse(Self.goodDB).system.settings["port"] == .int(7000))
    }

    @Test func unknownPlaceholderIsRefusedAtItsLine() {
        let db = Self.goodDB.replacingOccurrences(of: "--cluster {addresses}", with: "--cluster {peer-list}")
        let e = refusal(db)
        #expect(e?.file == "my.yml")
        #expect(e?.line == 5)
        #expect(e?.field == "db.start")
        #expect(e?.message.contains("unknown placeholder {peer-list}") == true, "\(String(describing: e))")
        #expect(e?.message.contains("{addresses}") == true)
    }

    @Test func badBracesAreRefused() {
        #expect(refusal(Self.goodDB.replacingOccurrences(of: "{addresses}", with: "{addresses"))?.message.contains("unclosed") == true)
        #expect(refusal(Self.goodDB.replacingOccurrences(of: "{binary}", with: "{Binary}"))?.message.contains("not a placeholder") == true)
    }

    @Test func missingUploadIsRefused() {
        let e = refusal(Self.goodDB.replacingOccurrences(of: "example_kv.py", with: "no_such_server"))
        #expect(e?.field == "db.install.file")
        #expect(e?.line == 4)
        #expect(e?.message.contains("no readable file at Workloads/examples/no_such_server") == true, "\(String(describing: e))")
    }

    @Test func missingClientProgramIsRefused() {
        let e = refusal(Self.goodDB.replacingOccurrences(of: "command: \"python3 ", with: "command: \"no-such-python "))
        #expect(e?.field == "db.client.command")
        #expect(e?.message.contains("no program no-such-python") == true, "\(String(describing: e))")
    }

    @Test func clientPlaceholdersAreTheirOwn() {
        let e = refusal(Self.goodDB.replacingOccurrences(of: "--url http", with: "--data {data} --url http"))
        #expect(e?.field == "db.client.command")
        #expect(e?.message.contains("unknown placeholder {data}") == true)
    }

    @Test func portPlaceholderNeedsAPort() {
        let e = refusal(Self.goodDB.replacingOccurrences(of: "  port: 7000\n", with: ""))
        #expect(e?.field == "db.start")
        #expect(e?.message.contains("db.port is not set") == true, "\(String(describing: e))")
    }

    @Test func missingStartAndClientAndUnknownFields() {
        #expect(refusal("  system: binary\n  client: {protocol: http-kv, port: 1}")?.field == "db.start")
        #expect(refusal("  system: binary\n  start: /bin/true")?.field == "db.client")
        #expect(refusal(Self.goodDB + "\n  restart: always")?.message.contains("unknown field") == true)
        #expect(refusal("  system: binary\n  start: /bin/true\n  client: {protocol: http-kv}")?.message.contains("needs a port") == true)
        #expect(refusal("  system: binary\n  start: /bin/true\n  client: {protocol: grpc}")?.field == "db.client.protocol")
        #expect(refusal(Self.goodDB + "\n  ready: {tcp: 7000, command: true}")?.message.contains("not several") == true)
    }

    @Test func templatesQuoteShellLinesAndKeepArgvVerbatim() throws {
        let plan = try parse(Self.goodDB)
        #expect(plan.system.settings["start"] == .string("python3 {binary} --listen {address}:{port} --cluster {addresses}"))
        let node = ConfigField(file: "f", path: "db.start", node: .scalar("run {data}/x --name={node}", line: 1))
        let shell = try CommandTemplate(field: node, allowed: ["data", "node"])
        #expect(shell.shellLine(["data": "/a b", "node": "n1"]) == "run '/a b'/x --name=n1")
        #expect(shell.argv(["data": "/a b", "node": "n1"]) == ["/bin/sh", "-c", "exec run '/a b'/x --name=n1"])
        let list = ConfigField(file: "f", path: "db.start", node: .sequence([.scalar("run", line: 1), .scalar("{data}/x", line: 1), .scalar("{{literal}}", line: 1)], line: 1))
        let argv = try CommandTemplate(field: list, allowed: ["data"])
        #expect(argv.argv(["data": "/a b"]) == ["run", "/a b/x", "{literal}"])
        #expect(argv.placeholders == ["data"])
    }

    @Test func launcherExecsTheServerWithTheMarker() {
        let layout = BinaryLayout(node: .init(name: "n1", host: "10.0.0.1", dataDir: "/var/lib/schism/"), name: "kv")
        let scripts = BinaryScripts(layout: layout)
        let launcher = scripts.launcher(command: "python3 'a b'", faketime: true, libfaketimeCandidates: Faketime.libraryCandidates)
        #expect(launcher.contains("export SCHISM_DAEMON=/var/lib/schism/byo/kv\n"))
        #expect(launcher.hasSuffix("cd /var/lib/schism/byo/kv/data\nexec python3 'a b'\n"))
        #expect(launcher.contains("FAKETIME_NO_CACHE=1"))
        #expect(scripts.start(node: "n1", launcher: launcher).contains("setsid sh /var/lib/schism/byo/kv/launch.sh"))
        #expect(layout.installDir(sha256: "ab") == "/var/lib/schism/byo-cache/ab")
    }
}
