import Basics
import BringYourOwn
import Foundation
import Histories
import Systems
import Testing

/// The stdio adapter against real local programs: the example client, and clients that hang,
/// crash or print garbage. Each must end within its deadline with a clear message.
@Suite(.serialized) struct StdioClientTests {
    static let exampleClient = "Workloads/examples/kv_client.py"

    /// A client of `argv`; `startup`: more time for the request that starts it (Python's start).
    func client(_ argv: [String], deadline: Double = 1, startup: Double = 0) -> StdioClient {
        StdioClient(argv: argv, node: "n1", deadlineSeconds: deadline, startupSeconds: startup, keyPrefix: "run/")
    }

    func write(_ v: Int64) -> ClientRequest { ClientRequest(f: "write", key: "k", value: .int(v)) }

    @Test func exampleClientInMemory() async throws {
        let c = client(["python3", Self.exampleClient, "--memory"], startup: 5)
        #expect(await c.invoke(write(3)).type == .ok)
        let read = await c.invoke(ClientRequest(f: "read", key: "k", value: .null))
        #expect(read.type == .ok)
        #expect(read.value == .int(3))
        #expect(await c.invoke(ClientRequest(f: "cas", key: "k", value: [.int(1), .int(2)])).type == .fail)
        #expect(await c.invoke(ClientRequest(f: "cas", key: "k", value: [.int(3), .int(2)])).type == .ok)
        #expect(await c.starts == 1)
        await c.close()
    }

    @Test func hungClientBecomesInfoAndIsKilled() async throws {
        let c = client(["sleep", "600"], deadline: 0.5)
        let start = ContinuousClock.now
        let r = await c.invoke(write(1))
        let took = ContinuousClock.now - start
        #expect(r.type == .info)
        #expect(r.error?.contains("no answer within") == true, "\(r)")
        #expect(r.error?.contains("killed pid") == true)
        #expect(took < .seconds(2), "took \(took)")
        let slow = client(["sleep", "600"], deadline: 0.2, startup: 0.3)
        let first = await slow.invoke(write(1))
        #expect(first.error?.contains("no answer within 0.5 s") == true, "the startup allowance counts: \(first)")
        await slow.close()
        #expect(await c.pid == nil)
        _ = await c.invoke(write(2))
        #expect(await c.starts == 2, "a fresh program replaces the hung one")
        await c.close()
    }

    @Test func killedHungClientIsGone() async throws {
        let pidFile = NSTemporaryDirectory() + "schism-stdio-\(UUID().uuidString).pid"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let c = client(["sh", "-c", "echo $$ > \(pidFile); read line; exec sleep 600"], deadline: 0.3)
        #expect(await c.invoke(write(1)).type == .info)
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(text))
        #expect(kill(pid, 0) != 0, "pid \(pid) still exists")
        await c.close()
    }

    @Test func crashedClientGivesInfoWithItsStatusAndStderr() async throws {
        let c = client(["sh", "-c", "read line; echo 'boom: cannot connect' >&2; exit 3"])
        let r = await c.invoke(write(1))
        #expect(r.type == .info)
        #expect(r.error?.contains("exited before answering (exit status 3)") == true, "\(r)")
        #expect(r.error?.contains("boom: cannot connect") == true)
        await c.close()
    }

    @Test func garbageGivesInfoAndARestart() async throws {
        let c = client(["sh", "-c", "while read line; do echo 'hello there'; done"])
        let r = await c.invoke(write(1))
        #expect(r.type == .info)
        #expect(r.error?.contains("not a JSON object: hello there") == true, "\(r)")
        let wrongType = client(["sh", "-c", "while read line; do echo '{\"type\":\"maybe\"}'; done"])
        let w = await wrongType.invoke(write(1))
        #expect(w.type == .info)
        #expect(w.error?.contains("no \"type\" of ok, fail or info") == true, "\(w)")
        await c.close()
        await wrongType.close()
    }

    @Test func programThatCannotStartFails() async throws {
        let c = client(["/nonexistent/client"])
        let r = await c.invoke(write(1))
        #expect(r.type == .fail)
        #expect(r.error?.contains("cannot start") == true, "\(r)")
        await c.close()
    }

    @Test func requestsCarryTheIdAndPrefixedKey() async throws {
        // The program echoes the request back as the value of an ok answer.
        let echo = "import sys, json\nfor l in sys.stdin:\n r = json.loads(l)\n print(json.dumps({'id': r['id'], 'type': 'ok', 'value': r}), flush=True)"
        let c = client(["python3", "-c", echo], startup: 5)
        let r = await c.invoke(ClientRequest(f: "read", key: "k", value: .null))
        #expect(r.type == .ok)
        #expect(r.value == .object(["id": .int(1), "f": "read", "key": "run/k", "value": .null]))
        await c.close()
    }
}

/// Hung clients block only their own threads: nine at once end together, at their deadline.
@Suite struct StdioClientConcurrencyTests {
    @Test func nineHungClientsEndAtOneDeadline() async throws {
        let clients = (0..<9).map { i in
            StdioClient(argv: ["sh", "-c", "read line; exec sleep 600"], node: "n\(i)", deadlineSeconds: 1, startupSeconds: 0)
        }
        let start = ContinuousClock.now
        let types = await withTaskGroup(of: OpType.self) { group in
            for c in clients { group.addTask { await c.invoke(ClientRequest(f: "write", key: "k", value: 1)).type } }
            var out: [OpType] = []
            for await t in group { out.append(t) }
            return out
        }
        let took = ContinuousClock.now - start
        #expect(types.allSatisfy { $0 == .info })
        #expect(took < .milliseconds(1800), "nine hung clients took \(took): they block each other")
        for c in clients { await c.close() }
    }
}
