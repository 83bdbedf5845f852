import Basics
import Checkers
import Histories
import SchismTestKit
import Testing

/// Hand-written histories with known verdicts, one or two per model rule.
struct ModelTests {
    func verdict(_ b: HistoryBuilder, _ model: String, initial: JSONValue? = nil, partition: Bool = true) throws -> CheckResult {
        let m = try #require(Models.named(model))
        return try LinearizabilityChecker(model: m, options: CheckOptions(initial: initial, partitionByKey: partition)).check(b.history)
    }

    @Test func sequentialRegisterIsValid() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.ok(0, "write", 1)
        b.invoke(1, "read"); b.ok(1, "read", 1)
        #expect(try verdict(b, "register").verdict == .valid)
    }

    @Test func staleReadIsInvalidAndExplained() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.ok(0, "write", 1)
        b.invoke(0, "write", 2); b.ok(0, "write", 2)
        b.invoke(1, "read"); b.ok(1, "read", 1)
        let r = try verdict(b, "register")
        #expect(r.verdict == .invalid)
        let a = try #require(r.partitions.first?.anomaly)
        #expect(a.prefix.map(\.op) == [0, 2])
        #expect(a.stateAfterPrefix == "2")
        #expect(a.blocking == 4)
        #expect(a.attempts.count == 1)
        #expect(a.attempts.first?.reason == "it read 1 but the register held 2")
        #expect(a.prose.contains("Operation 4 (read 1, process 1"))
    }

    @Test func concurrentWriteMayBeReadEitherWay() throws {
        for seen in [1, 2] {
            var b = HistoryBuilder()
            b.invoke(0, "write", 1); b.ok(0, "write", 1)
            b.invoke(0, "write", 2)
            b.invoke(1, "read"); b.ok(1, "read", .int(Int64(seen)))
            b.ok(0, "write", 2)
            #expect(try verdict(b, "register").verdict == .valid)
        }
    }

    @Test func infoWriteMayTakeEffectLateOrNever() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.info(0, "write", 1)
        b.invoke(1, "read"); b.ok(1, "read", .null)
        b.invoke(1, "read"); b.ok(1, "read", 1)
        #expect(try verdict(b, "register").verdict == .valid)
        var never = HistoryBuilder()
        never.invoke(0, "write", 1)  // never completes: counted as info
        never.invoke(1, "read"); never.ok(1, "read", .null)
        #expect(try verdict(never, "register").verdict == .valid)
        var back = b
        back.invoke(1, "read"); back.ok(1, "read", .null)  // cannot un-happen
        #expect(try verdict(back, "register").verdict == .invalid)
    }

    @Test func failedOperationsNeverTakeEffect() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.fail(0, "write", 1)
        b.invoke(1, "read"); b.ok(1, "read", 1)
        #expect(try verdict(b, "register").verdict == .invalid)
    }

    @Test func casRegister() throws {
        var b = HistoryBuilder()
        b.invoke(0, "cas", [0, 5]); b.ok(0, "cas", [0, 5])
        b.invoke(1, "read"); b.ok(1, "read", 5)
        #expect(try verdict(b, "cas-register", initial: 0).verdict == .valid)
        #expect(try verdict(b, "cas-register", initial: 1).verdict == .invalid)
        #expect(throws: CheckError.self) { try verdict(b, "register") }
    }

    @Test func kvPartitionsByKey() throws {
        var b = HistoryBuilder()
        b.invoke(0, "put", "a", key: "x"); b.ok(0, "put", "a", key: "x")
        b.invoke(0, "append", "b", key: "x"); b.ok(0, "append", "b", key: "x")
        b.invoke(1, "get", key: "y"); b.ok(1, "get", "", key: "y")
        b.invoke(1, "get", key: "x"); b.ok(1, "get", "ab", key: "x")
        let r = try verdict(b, "kv")
        #expect(r.verdict == .valid)
        #expect(r.partitions.map(\.key) == ["x", "y"])
        #expect(try verdict(b, "kv", partition: false).verdict == .valid)
        b.invoke(1, "get", key: "y"); b.ok(1, "get", "a", key: "y")
        let bad = try verdict(b, "kv")
        #expect(bad.verdict == .invalid)
        #expect(bad.failures.map(\.key) == ["y"])
    }

    @Test func mutex() throws {
        var b = HistoryBuilder()
        b.invoke(0, "acquire"); b.ok(0, "acquire")
        b.invoke(1, "acquire"); b.ok(1, "acquire")
        #expect(try verdict(b, "mutex").verdict == .invalid)
        var c = HistoryBuilder()
        c.invoke(0, "acquire"); c.ok(0, "acquire")
        c.invoke(1, "acquire"); c.invoke(0, "release"); c.ok(0, "release"); c.ok(1, "acquire")
        #expect(try verdict(c, "mutex").verdict == .valid)
    }

    @Test func multiRegister() throws {
        var b = HistoryBuilder()
        b.invoke(0, "txn", [["write", "x", 1], ["write", "y", 2]])
        b.ok(0, "txn", [["write", "x", 1], ["write", "y", 2]])
        b.invoke(1, "txn", [["read", "x", .null], ["read", "y", .null]])
        b.ok(1, "txn", [["read", "x", 1], ["read", "y", 0]])
        #expect(try verdict(b, "multi-register", initial: ["x": 0, "y": 0]).verdict == .invalid)
    }

    @Test func set() throws {
        var b = HistoryBuilder()
        b.invoke(0, "add", 1); b.ok(0, "add", 1)
        b.invoke(1, "add", 2)
        b.invoke(0, "read"); b.ok(0, "read", [1])
        b.ok(1, "add", 2)
        #expect(try verdict(b, "set").verdict == .valid)
        b.invoke(0, "read"); b.ok(0, "read", [2])
        #expect(try verdict(b, "set").verdict == .invalid)
    }

    @Test func unpairedCompletionIsAnErrorNamingTheOperation() throws {
        var b = HistoryBuilder()
        b.invoke(0, "write", 1); b.ok(0, "write", 1)
        b.ok(0, "write", 2)
        let m = try #require(Models.named("register"))
        #expect(throws: CheckError(index: 2, message: "process 0 completes write (ok) but has no operation in flight")) {
            try LinearizabilityChecker(model: m).check(b.history)
        }
    }

    @Test func nemesisOperationsAreSkipped() throws {
        var b = HistoryBuilder()
        b.nemesis("partition", ["n1": ["n2"]])
        b.invoke(0, "write", 1); b.ok(0, "write", 1)
        #expect(try verdict(b, "register").verdict == .valid)
    }
}
