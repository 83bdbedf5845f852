import Basics
import Control
@testable import Postgres
import Systems
import Testing

/// The pure parts of the PostgreSQL system: micro-operations, stored lists, table names, scripts.
struct PostgresUnitTests {
    @Test func microOpsParseAndRefuse() {
        guard case .success(let ops) = MicroOp.parse([["append", 3, 7], ["r", "4", .null], ["w", 5, 1]]) else {
            Issue.record("refused a valid transaction")
            return
        }
        #expect(ops == [MicroOp(fn: "append", key: 3, value: 7), MicroOp(fn: "r", key: 4, value: nil), MicroOp(fn: "w", key: 5, value: 1)])
        #expect(ops[1].json(read: [1, 2]) == ["r", 4, [1, 2]])
        #expect(ops[0].json(read: nil) == ["append", 3, 7])
        for bad: JSONValue in [5, [["x", 1, 2]], [["append", 1, .null]], [["r", "k", .null]], [["r", 1]]] {
            guard case .failure = MicroOp.parse(bad) else {
                Issue.record("accepted \(bad.jsonText)")
                continue
            }
        }
    }

    /// A value the body returns after the deadline won is handed to `discard` (a connection
    /// opened just too late is closed; PostgresNIO traps on one released open).
    @Test func aLateValueIsDiscardedNotDropped() async throws {
        let discarded = Recorded()
        await #expect(throws: PostgresClient.ConnectTimeout.self) {
            try await PostgresClient.within(ContinuousClock.now + .milliseconds(20), discard: { await discarded.add($0) }) {
                try? await Task.sleep(for: .seconds(5))  // cancelled at the deadline, then returns anyway
                return 7
            }
        }
        #expect(await discarded.values == [7])
        let value = try await PostgresClient.within(ContinuousClock.now + .seconds(5), discard: { await discarded.add($0) }) { 8 }
        let after = await discarded.values
        #expect(value == 8 && after == [7])
    }

    private actor Recorded {
        var values: [Int] = []
        func add(_ v: Int) { values.append(v) }
    }

    @Test func storedListsReadBack() {
        #expect(PostgresTables.list(nil) == [])
        #expect(PostgresTables.list("") == [])
        #expect(PostgresTables.list("1,20,3") == [1, 20, 3])
        #expect(PostgresTables.list("1,x") == nil)
    }

    @Test func aTablePerRunAndKind() {
        let a = PostgresTables(keyPrefix: "schism/run1/", workloadKind: "list-append")
        let b = PostgresTables(keyPrefix: "schism/run2/", workloadKind: "list-append")
        let r = PostgresTables(keyPrefix: "schism/run1/", workloadKind: "rw-register")
        #expect(a.table != b.table && a.lists && !r.lists)
        #expect(a.table.hasPrefix("schism_append_") && r.table.hasPrefix("schism_rw_") && a.table.count <= 63)
        #expect(a.table.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        #expect(a.writeSQL.contains("ON CONFLICT (k) DO UPDATE SET v = t.v || ','"))
    }

    @Test func scriptsRunTheServerAsPostgresAndSignalItsGroup() {
        let s = PostgresScripts(config: PostgresConfig(), node: NodeConfig(name: "n1", host: "10.0.0.1", dataDir: "/d/"))
        #expect(s.start().contains("setpriv --reuid=postgres"))
        #expect(s.start().contains("unix_socket_directories=/d/postgres/run"))
        #expect(s.kill().contains(#"kill -KILL "-$pid""#))
        #expect(s.signal(pause: true).contains(#"kill -STOP "-$pid""#))
        #expect(s.wipe().contains("rm -rf /d/postgres"))
        #expect(PostgresConfig(isolation: "repeatable-read").isolationSQL == "REPEATABLE READ")
    }
}
