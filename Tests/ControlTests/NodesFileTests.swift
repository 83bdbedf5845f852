import Control
import Testing

@Suite("Nodes file")
struct NodesFileTests {
    @Test("defaults apply to every node; bare hosts work")
    func parsesDefaults() throws {
        let file = try NodesFile.parse(
            """
            defaults:
              user: admin
              identity_file: ~/.ssh/id_ed25519
              clock: faketime
            nodes:
              - db1.example.com
              - name: n2
                host: 10.0.0.12
                port: 2222
                sudo: false
            """, source: "c.yml")
        #expect(file.nodes.count == 2)
        #expect(file.nodes[0].name == "db1.example.com")
        #expect(file.nodes[0].user == "admin")
        #expect(file.nodes[0].clock == .faketime)
        #expect(file.nodes[1].port == 2222)
        #expect(file.nodes[1].sudo == false)
        #expect(file.nodes[1].identityFile == "~/.ssh/id_ed25519")
    }

    @Test("written YAML parses back to the same nodes")
    func roundTrip() throws {
        let nodes = [
            NodeConfig(name: "n1", host: "10.77.0.11", port: 22, user: "root", identityFile: "/k/id",
                knownHostsFile: "/k/known_hosts", useSSHConfig: false, sudo: false, dataDir: "/data",
                clock: .faketime, connectTimeoutSeconds: 5),
            NodeConfig(name: "n2", host: "true", sudoPasswordEnv: "PW"),
        ]
        let text = NodesFile(nodes: nodes).yaml(header: "test")
        #expect(try NodesFile.parse(text).nodes == nodes)
    }

    @Test("errors name the line and the field", arguments: [
        ("nodes:\n  - name: a\n    host: h\n    prot: 22\n", 4, "nodes[0].prot"),
        ("nodes:\n  - name: a\n    host: h\n    port: 99999\n", 4, "nodes[0].port"),
        ("nodes:\n  - name: a\n    host: h\n  - name: a\n    host: h2\n", 4, "nodes[1].name"),
        ("nodes:\n  - name: a\n    port: 22\n", 2, "nodes[0].host"),
        ("nodes:\n  - host: h\n    clock: ntp\n", 3, "nodes[0].clock"),
        ("defaults:\n  data_dir: relative\nnodes: [h]\n", 2, "defaults.data_dir"),
        ("nodes: []\n", 1, "nodes"),
        ("nodez:\n  - h\n", 1, "nodez"),
    ])
    func validation(yaml: String, line: Int, field: String) {
        #expect {
            _ = try NodesFile.parse(yaml, source: "bad.yml")
        } throws: { error in
            guard let error = error as? NodesFileError else { return false }
            return error.line == line && error.field == field && error.exitCode == 65
                && error.description.hasPrefix("bad.yml:\(line): \(field):")
        }
    }

    @Test("a missing file is exit 66; a YAML syntax error names its line")
    func missingAndSyntax() {
        #expect(throws: NodesFileError.self) { _ = try NodesFile.load(path: "/nonexistent/nodes.yml") }
        do {
            _ = try NodesFile.load(path: "/nonexistent/nodes.yml")
        } catch {
            #expect(error.exitCode == 66)
        }
        do {
            _ = try NodesFile.parse("nodes:\n  - a\n  b: [\n", source: "s.yml")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.line != nil)
        }
    }

    @Test("--nodes shorthand: hosts with optional user and port")
    func shorthand() throws {
        let nodes = try NodeConfig.shorthand("a, admin@b:2222,c")
        #expect(nodes.map(\.name) == ["a", "b", "c"])
        #expect(nodes[1].user == "admin")
        #expect(nodes[1].port == 2222)
        #expect(throws: NodesFileError.self) { _ = try NodeConfig.shorthand("a,a") }
        #expect(throws: NodesFileError.self) { _ = try NodeConfig.shorthand("a:x") }
        let file = NodesFile(nodes: nodes)
        #expect(try file.selecting(["c", "a"]).nodes.map(\.name) == ["c", "a"])
        #expect(throws: NodesFileError.self) { _ = try file.selecting(["z"]) }
    }
}
