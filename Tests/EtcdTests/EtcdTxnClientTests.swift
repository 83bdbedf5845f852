import Basics
import Control
import Etcd
import Foundation
import Histories
import Systems
import Testing

/// Transactions against one real etcd on 127.0.0.1 (no root needed): both kinds, and concurrent
/// appends to one key that conflict and retry.
@Suite(.serialized, .localEtcd)
struct EtcdTxnClientTests {
    func withClients<T>(
        kind: String, count: Int, _ body: ([any Client]) async throws -> T
    ) async throws -> T {
        let context = try LocalEtcdFixture.current()
        let factory = EtcdClientFactory(config: context.config)
        let prefix = "txn-\(UUID().uuidString.prefix(8))/"
        let options = ClientOptions(timeoutSeconds: 5, keyPrefix: prefix, workloadKind: kind)
        do {
            let clients = try (0..<count).map { _ in try factory.makeClient(node: context.node, options: options) }
            let result = try await body(clients)
            await factory.shutdown()
            return result
        } catch {
            await factory.shutdown()
            throw error
        }
    }

    @Test func aTransactionReadsItsOwnWritesAndCommitsThem() async throws {
        try await withClients(kind: "list-append", count: 1) { clients in
            let c = clients[0]
            let a = await c.invoke(ClientRequest(f: "txn", key: nil, value: [["r", 1, .null], ["append", 1, 1], ["r", 1, .null], ["append", 2, 1]]))
            #expect(a == ClientResponse(type: .ok, value: [["r", 1, []], ["append", 1, 1], ["r", 1, [1]], ["append", 2, 1]]))
            let b = await c.invoke(ClientRequest(f: "txn", key: nil, value: [["append", 1, 2], ["r", 1, .null], ["r", 2, .null]]))
            #expect(b == ClientResponse(type: .ok, value: [["append", 1, 2], ["r", 1, [1, 2]], ["r", 2, [1]]]))
            let bad = await c.invoke(ClientRequest(f: "txn", key: nil, value: [["append", "x", 1]]))
            #expect(bad.type == .fail)
        }
        try await withClients(kind: "rw-register", count: 1) { clients in
            let c = clients[0]
            let a = await c.invoke(ClientRequest(f: "txn", key: nil, value: [["r", 1, .null], ["w", 1, 5], ["r", 1, .null]]))
            #expect(a == ClientResponse(type: .ok, value: [["r", 1, .null], ["w", 1, 5], ["r", 1, 5]]))
            let b = await c.invoke(ClientRequest(f: "txn", key: nil, value: [["r", 1, .null]]))
            #expect(b == ClientResponse(type: .ok, value: [["r", 1, 5]]))
        }
    }

    @Test func concurrentAppendsToOneKeyRetryAndNoneIsLost() async throws {
        try await withClients(kind: "list-append", count: 8) { clients in
            let outcomes = await withTaskGroup(of: (Int64, OpType).self) { group in
                for (i, c) in clients.enumerated() {
                    group.addTask {
                        let v = Int64(i + 1)
                        let r = await c.invoke(ClientRequest(f: "txn", key: nil, value: [["r", 7, .null], ["append", 7, .int(v)]]))
                        return (v, r.type)
                    }
                }
                var out: [(Int64, OpType)] = []
                for await o in group { out.append(o) }
                return out
            }
            let final = await clients[0].invoke(ClientRequest(f: "txn", key: nil, value: [["r", 7, .null]]))
            let list = final.value.arrayValue?.first?.arrayValue?[2].arrayValue?.compactMap(\.intValue) ?? []
            // Every committed append is in the list once; no failed one is.
            #expect(Set(list) == Set(outcomes.filter { $0.1 == .ok }.map(\.0)))
            #expect(list.count == Set(list).count)
            #expect(outcomes.filter { $0.1 == .ok }.count >= 2, "\(outcomes)")
            #expect(outcomes.allSatisfy { $0.1 != .info })
        }
    }
}
