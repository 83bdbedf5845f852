import Basics
import Control
import Etcd
import Systems
import Foundation
import Histories
import Testing

/// The register client against one real etcd on 127.0.0.1 (no root needed).
@Suite(.serialized, .localEtcd)
struct EtcdClientTests {
    /// A fresh key per test, so tests never see each other's values.
    func key(_ name: String = #function) -> String {
        "\(name.prefix(while: { $0 != "(" }))-\(UUID().uuidString.prefix(8))"
    }

    func withFactory<T>(
        serializable: Bool = false, _ body: (EtcdClientFactory, LocalEtcdFixture.Context) async throws -> T
    ) async throws -> T {
        let context = try LocalEtcdFixture.current()
        var config = context.config
        config.serializableReads = serializable
        let factory = EtcdClientFactory(config: config)
        do {
            let result = try await body(factory, context)
            await factory.shutdown()
            return result
        } catch {
            await factory.shutdown()
            throw error
        }
    }

    @Test("a read of an absent key is ok with null")
    func readAbsent() async throws {
        try await withFactory { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2))
            let r = await client.invoke(ClientRequest(f: "read", key: key(), value: .null))
            #expect(r.unversioned == ClientResponse(type: .ok, value: .null))
        }
    }

    @Test("every ok completion carries the key's version: a read its mod_revision (0 when absent), a write and a cas that held the revision of their write")
    func versions() async throws {
        try await withFactory { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2))
            let k = key()
            let absent = await client.invoke(ClientRequest(f: "read", key: k, value: .null))
            #expect(absent == ClientResponse(type: .ok, value: .null, version: 0))
            let w = await client.invoke(ClientRequest(f: "write", key: k, value: 1))
            let w1 = try #require(w.version)
            #expect(w1 > 0)
            #expect(await client.invoke(ClientRequest(f: "read", key: k, value: .null)) == ClientResponse(type: .ok, value: 1, version: w1))
            // The same value again is a new write with a new revision.
            let again = try #require(await client.invoke(ClientRequest(f: "write", key: k, value: 1)).version)
            #expect(again > w1)
            let cas = await client.invoke(ClientRequest(f: "cas", key: k, value: [1, 2]))
            let w2 = try #require(cas.version)
            #expect(cas.type == .ok && w2 > again)
            let failed = await client.invoke(ClientRequest(f: "cas", key: k, value: [1, 3]))
            #expect(failed.type == .fail && failed.version == nil)
            #expect(await client.invoke(ClientRequest(f: "read", key: k, value: .null)) == ClientResponse(type: .ok, value: 2, version: w2))
        }
    }

    @Test("a write is read back as the same integer")
    func writeRead() async throws {
        try await withFactory { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2))
            let k = key()
            let w = await client.invoke(ClientRequest(f: "write", key: k, value: 42))
            #expect(w.unversioned == ClientResponse(type: .ok, value: 42))
            let r = await client.invoke(ClientRequest(f: "read", key: k, value: .null))
            #expect(r.unversioned == ClientResponse(type: .ok, value: 42))
        }
    }

    @Test("cas succeeds when the value matches and fails otherwise, also on an absent key")
    func cas() async throws {
        try await withFactory { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2))
            let k = key()
            let absent = await client.invoke(ClientRequest(f: "cas", key: k, value: [1, 2]))
            #expect(absent.type == .fail)
            _ = await client.invoke(ClientRequest(f: "write", key: k, value: 5))
            let ok = await client.invoke(ClientRequest(f: "cas", key: k, value: [5, 6]))
            #expect(ok.unversioned == ClientResponse(type: .ok, value: [5, 6]))
            let failed = await client.invoke(ClientRequest(f: "cas", key: k, value: [5, 7]))
            #expect(failed.type == .fail)
            let r = await client.invoke(ClientRequest(f: "read", key: k, value: .null))
            #expect(r.value == 6)
            let malformed = await client.invoke(ClientRequest(f: "cas", key: k, value: 3))
            #expect(malformed.type == .fail)
        }
    }

    @Test("a key prefix keeps runs apart: each run reads only its own keys")
    func keyPrefixes() async throws {
        try await withFactory { factory, context in
            let k = key()
            let (a, b, unprefixed) = try (client("run-a/"), client("run-b/"), client(""))
            func client(_ prefix: String) throws -> any Client {
                try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2, keyPrefix: prefix))
            }
            #expect((await a.invoke(ClientRequest(f: "write", key: k, value: 4))).unversioned == ClientResponse(type: .ok, value: 4))
            #expect((await b.invoke(ClientRequest(f: "read", key: k, value: .null))).unversioned == ClientResponse(type: .ok, value: .null))
            #expect((await a.invoke(ClientRequest(f: "read", key: k, value: .null))).unversioned == ClientResponse(type: .ok, value: 4))
            #expect(await unprefixed.invoke(ClientRequest(f: "read", key: "run-a/" + k, value: .null)).value == 4)
            #expect(await b.invoke(ClientRequest(f: "cas", key: k, value: [4, 5])).type == .fail)
        }
    }

    @Test("serializable reads see a completed write on a single member")
    func serializableRead() async throws {
        let k = key()
        try await withFactory { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2))
            #expect(await client.invoke(ClientRequest(f: "write", key: k, value: 9)).type == .ok)
        }
        try await withFactory(serializable: true) { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2))
            #expect((await client.invoke(ClientRequest(f: "read", key: k, value: .null))).unversioned == ClientResponse(type: .ok, value: 9))
        }
    }

    @Test("every operation against a closed port fails definitely")
    func closedPort() async throws {
        let port = try freePorts(1)[0]
        let context = try LocalEtcdFixture.current()
        var config = context.config
        config.clientPort = port
        let factory = EtcdClientFactory(config: config)
        let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 1))
        let start = ContinuousClock.now
        for request in [
            ClientRequest(f: "write", key: "k", value: 1), ClientRequest(f: "cas", key: "k", value: [1, 2]),
            ClientRequest(f: "read", key: "k", value: .null),
        ] {
            let r = await client.invoke(request)
            #expect(r.type == .fail, "\(request.f): \(r)")
            #expect(r.error == "connection refused", "\(request.f): \(r)")
        }
        #expect(ContinuousClock.now - start < .seconds(1))
        await factory.shutdown()
    }

    @Test("a write to a paused etcd ends as info at its deadline; a read fails")
    func pausedServer() async throws {
        try await withFactory { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 0.5))
            #expect(await client.invoke(ClientRequest(f: "write", key: key(), value: 1)).type == .ok)
            try await context.database.pause(context.node, in: context.cluster)
            #expect(try await context.database.status(context.node, in: context.cluster).hasPrefix("paused "))
            let start = ContinuousClock.now
            let w = await client.invoke(ClientRequest(f: "write", key: key(), value: 2))
            let elapsed = ContinuousClock.now - start
            let r = await client.invoke(ClientRequest(f: "read", key: key(), value: .null))
            try await context.database.resume(context.node, in: context.cluster)
            #expect(w.type == .info, "\(w)")
            #expect(w.error == "timeout after 0.5s")
            #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(2), "took \(elapsed)")
            #expect(r.type == .fail, "\(r)")
            #expect(try await context.database.status(context.node, in: context.cluster).hasPrefix("running "))
            let after = await client.invoke(ClientRequest(f: "write", key: key(), value: 3))
            #expect(after.type == .ok, "\(after)")
        }
    }

    @Test("latency of sequential operations on local etcd (printed)")
    func latency() async throws {
        try await withFactory { factory, context in
            let client = try factory.makeClient(node: context.node, options: ClientOptions(timeoutSeconds: 2))
            let k = key()
            var samples: [String: [Double]] = [:]
            for i in 0..<100 {
                for request in [
                    ClientRequest(f: "write", key: k, value: .int(Int64(i))),
                    ClientRequest(f: "read", key: k, value: .null),
                    ClientRequest(f: "cas", key: k, value: [.int(Int64(i)), .int(Int64(i + 1000))]),
                ] {
                    let start = ContinuousClock.now
                    let r = await client.invoke(request)
                    let d = ContinuousClock.now - start
                    #expect(r.type == .ok, "\(request.f) \(i): \(r)")
                    samples[request.f, default: []].append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                }
            }
            for (f, values) in samples.sorted(by: { $0.key < $1.key }) {
                let sorted = values.sorted()
                let median = sorted[sorted.count / 2]
                let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
                print("etcd local \(f): median \(String(format: "%.2f", median)) ms, p99 \(String(format: "%.2f", p99)) ms")
            }
        }
    }
}

extension ClientResponse {
    /// The response without its version, for comparisons that do not know the revision.
    var unversioned: ClientResponse {
        var r = self
        r.version = nil
        return r
    }
}
