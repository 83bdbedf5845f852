import Basics
import BringYourOwn
import Control
import Foundation
import Systems
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Schism's http-kv client against the example server on 127.0.0.1 (no cluster needed).
@Suite(.serialized) struct HTTPKVClientTests {
    static let port = 17_078

    @Test func readWriteCasAndTheirFailures() async throws {
        let server = try PipedProcess.start([
            "python3", "Workloads/examples/example_kv.py", "--node", "n1", "--listen", "127.0.0.1:\(Self.port)", "--mode", "safe",
        ])
        defer { server.kill() }
        var up = false
        for _ in 0..<100 {
            if TCPProbe.canConnect(address: "127.0.0.1", port: UInt16(Self.port), timeoutMilliseconds: 100) {
                up = true
                break
            }
            usleep(50_000)
        }
        try #require(up, "the example server did not listen within 5 s")
        let factory = HTTPKVClientFactory(port: Self.port)
        let c = try factory.makeClient(node: NodeConfig(name: "n1", host: "127.0.0.1"), options: ClientOptions(timeoutSeconds: 2, keyPrefix: "run/x/"))
        let empty = await c.invoke(ClientRequest(f: "read", key: "k", value: .null))
        #expect(empty.type == .ok)
        #expect(empty.value == .null)
        #expect(await c.invoke(ClientRequest(f: "write", key: "k", value: .int(3))).type == .ok)
        #expect(await c.invoke(ClientRequest(f: "read", key: "k", value: .null)).value == .int(3))
        let failed = await c.invoke(ClientRequest(f: "cas", key: "k", value: [.int(1), .int(2)]))
        #expect(failed.type == .fail)
        #expect(failed.error?.contains("HTTP 409") == true, "\(failed)")
        #expect(await c.invoke(ClientRequest(f: "cas", key: "k", value: [.int(3), .int(2)])).type == .ok)
        #expect(await c.invoke(ClientRequest(f: "read", key: "k", value: .null)).value == .int(2))
        await factory.shutdown()

        let closed = HTTPKVClientFactory(port: 9)
        let refused = try closed.makeClient(node: NodeConfig(name: "n1", host: "127.0.0.1"), options: ClientOptions(timeoutSeconds: 1))
        let never = await refused.invoke(ClientRequest(f: "write", key: "k", value: .int(1)))
        #expect(never.type == .fail, "a refused connection was never sent: \(never)")
        await closed.shutdown()
    }
}
