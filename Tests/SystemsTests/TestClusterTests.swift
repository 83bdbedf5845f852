import Control
import Systems
import Testing

/// The helpers every daemon's lifecycle uses, on local "nodes" (no root, no network).
@Suite
struct TestClusterTests {
    let cluster = TestCluster(
        nodes: [NodeConfig(name: "a", host: "127.0.0.1"), NodeConfig(name: "b", host: "127.0.0.1")],
        remotes: RemoteSet(remotes: [LocalRemote(node: "a"), LocalRemote(node: "b")]))

    @Test("forEachNode returns every node's result by name")
    func results() async throws {
        let names = try await cluster.forEachNode { node throws(SystemError) in node.name.uppercased() }
        #expect(names == ["a": "A", "b": "B"])
    }

    @Test("forEachNode tries every node and names each one that failed")
    func failures() async {
        let error = await #expect(throws: SystemError.self) {
            try await cluster.forEachNode { node throws(SystemError) in throw SystemError(node: node.name, message: "broken") }
        }
        #expect(error?.message == "failed on 2 nodes")
        #expect(error?.detail == "a: broken\nb: broken")
    }

    @Test("run returns stdout, and a failure's first stderr line and exit status, then the rest of stderr (each line once)")
    func run() async throws {
        let node = cluster.nodes[0]
        #expect(try await cluster.run("echo hi", on: node, doing: "greeting", timeoutSeconds: 10, sudo: false) == "hi\n")
        let error = await #expect(throws: SystemError.self) {
            try await cluster.run("echo one >&2; echo two >&2; exit 3", on: node, doing: "failing", timeoutSeconds: 10, sudo: false)
        }
        #expect(error?.node == "a")
        #expect(error?.message == "failing failed (exit 3): one")
        #expect(error?.detail == "two")
        #expect(error?.description == "a: failing failed (exit 3): one\ntwo")
        let single = await #expect(throws: SystemError.self) {
            try await cluster.run("echo only >&2; exit 1", on: node, doing: "failing", timeoutSeconds: 10, sudo: false)
        }
        #expect(single?.description == "a: failing failed (exit 1): only")
    }

    @Test("a node without a connection is an error naming it")
    func missingRemote() {
        let lonely = TestCluster(nodes: [], remotes: RemoteSet(remotes: []))
        #expect(throws: SystemError.self) { try lonely.remote(NodeConfig(name: "z", host: "127.0.0.1")) }
    }
}

/// Go programs are recognised from their ELF sections; other files are not.
@Suite
struct GoBinaryTests {
    @Test("a C program and a missing file are not Go programs")
    func notGo() {
        #expect(!GoBinary.isGoProgram(path: "/bin/sh"))
        #expect(!GoBinary.isGoProgram(path: "/nonexistent/etcd"))
    }
}

