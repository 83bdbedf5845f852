import Basics
import Checkers
import Histories
import SchismTestKit
import Testing

/// Early answers and bounded searches: early stop after an invalid key, time and memory limits.
struct BudgetTests {
    /// Adds to `b`, on `key`, `writers` concurrent completed writes and a read of a value none of
    /// them wrote: every subset of the writes is tried before the read fails (exponential).
    static func addHardKey(_ b: inout HistoryBuilder, key: String, writers: Int = 40, firstProcess: Int = 0) {
        for p in 0..<writers { b.invoke(firstProcess + p, "write", .int(Int64(p)), key: key) }
        b.invoke(firstProcess + writers, "read", key: key); b.ok(firstProcess + writers, "read", 1000, key: key)
        for p in 0..<writers { b.ok(firstProcess + p, "write", .int(Int64(p)), key: key) }
    }

    /// Adds a stale read on `key`: write 1, write 2, read 1 (invalid, decided at once).
    static func addStaleRead(_ b: inout HistoryBuilder, key: String, process: Int) {
        b.invoke(process, "write", 1, key: key); b.ok(process, "write", 1, key: key)
        b.invoke(process, "write", 2, key: key); b.ok(process, "write", 2, key: key)
        b.invoke(process, "read", key: key); b.ok(process, "read", 1, key: key)
    }

    /// Adds a valid sequential write and read on `key`.
    static func addValidKey(_ b: inout HistoryBuilder, key: String, process: Int) {
        b.invoke(process, "write", 5, key: key); b.ok(process, "write", 5, key: key)
        b.invoke(process, "read", key: key); b.ok(process, "read", 5, key: key)
    }

    static let register = RegisterModel(allowsCAS: false)

    @Test func aRunningPartitionStopsSoonAfterAnotherIsInvalid() throws {
        var b = HistoryBuilder()
        Self.addHardKey(&b, key: "hard")
        Self.addStaleRead(&b, key: "bad", process: 100)
        // The overall limit only keeps a broken early stop from hanging the test; the note tells which stopped it.
        let options = CheckOptions(timeoutSeconds: 60, partitionTimeoutSeconds: nil, parallelism: 2, earlyStopGraceSeconds: 0.2)
        let result = try LinearizabilityChecker(model: Self.register, options: options).check(b.history)
        #expect(result.verdict == .invalid)
        let hard = try #require(result.partitions.first { $0.key == "hard" })
        #expect(hard.verdict == .unknown)
        #expect(hard.note == "not decided: stopped early after key \"bad\" was found not linearizable")
        #expect(result.partitions.first { $0.key == "bad" }?.verdict == .invalid)
    }

    @Test func partitionsNotStartedAfterTheGraceAreMarkedWithoutRunning() throws {
        var b = HistoryBuilder()
        // The invalid key is the largest, so with one worker it is checked first.
        Self.addStaleRead(&b, key: "bad", process: 100)
        b.invoke(101, "read", key: "bad"); b.ok(101, "read", 2, key: "bad")
        for k in 0..<3 { Self.addValidKey(&b, key: "ok\(k)", process: k) }
        let stopped = try LinearizabilityChecker(
            model: Self.register, options: CheckOptions(parallelism: 1, earlyStopGraceSeconds: 0)).check(b.history)
        #expect(stopped.verdict == .invalid)
        let others = stopped.partitions.filter { $0.key != "bad" }
        #expect(others.count == 3)
        for p in others {
            #expect(p.verdict == .unknown)
            #expect(p.searchedCount == 0)
            #expect(p.note == "not decided: stopped early after key \"bad\" was found not linearizable")
        }
        // Off (`--all-partitions`), every key is decided.
        let all = try LinearizabilityChecker(model: Self.register, options: CheckOptions(parallelism: 1, stopEarly: false)).check(b.history)
        #expect(all.verdict == .invalid)
        #expect(all.partitions.filter { $0.verdict == .valid }.count == 3)
    }

    @Test func theGraceIsAsLongAgainAsTheCheckHadRunNotTheWholeMaximum() throws {
        var b = HistoryBuilder()
        Self.addHardKey(&b, key: "hard")
        Self.addStaleRead(&b, key: "bad", process: 100)
        // A 30 s maximum, but "bad" is refuted in milliseconds: "hard" gets about as long again.
        let options = CheckOptions(timeoutSeconds: 60, partitionTimeoutSeconds: nil, parallelism: 2, earlyStopGraceSeconds: 30)
        let result = try LinearizabilityChecker(model: Self.register, options: options).check(b.history)
        #expect(result.verdict == .invalid)
        #expect(result.elapsedSeconds < 10)
        #expect(result.partitions.first { $0.key == "hard" }?.note == "not decided: stopped early after key \"bad\" was found not linearizable")
    }

    @Test func withoutEarlyStopAHardKeyRunsToItsOwnTimeLimit() throws {
        var b = HistoryBuilder()
        Self.addHardKey(&b, key: "hard")
        Self.addStaleRead(&b, key: "bad", process: 100)
        let options = CheckOptions(partitionTimeoutSeconds: 0.5, parallelism: 2, stopEarly: false, earlyStopGraceSeconds: 0)
        let result = try LinearizabilityChecker(model: Self.register, options: options).check(b.history)
        #expect(result.verdict == .invalid)
        #expect(result.partitions.first { $0.key == "hard" }?.note == "timed out after 0.5 s on this partition")
    }

    @Test func aSearchAboveTheMemoryLimitGivesUnknownWithANote() throws {
        var b = HistoryBuilder()
        Self.addHardKey(&b, key: "hard")
        let limit = 8 << 20
        let options = CheckOptions(timeoutSeconds: 120, partitionTimeoutSeconds: nil, maxMemoryBytes: limit)
        let result = try LinearizabilityChecker(model: Self.register, options: options).check(b.history)
        #expect(result.verdict == .unknown)
        let note = try #require(result.partitions.first?.note)
        #expect(note.hasPrefix("stopped: the search held "), "\(note)")
        #expect(note.hasSuffix("MB, above --max-memory (8 MB)"), "\(note)")
        // What it held is reported, and it stopped within a few polls of the limit.
        let held = try #require(Int(note.dropFirst("stopped: the search held ".count).prefix { $0.isNumber }))
        #expect(held >= 8 && held < 64, "\(note)")
        #expect(result.partitions.first?.anomaly?.prose.contains("nothing is proved") == true)
    }

    @Test func aMemoryLimitDoesNotStopSmallSearches() throws {
        var b = HistoryBuilder()
        Self.addStaleRead(&b, key: "bad", process: 100)
        for k in 0..<3 { Self.addValidKey(&b, key: "ok\(k)", process: k) }
        let result = try LinearizabilityChecker(
            model: Self.register, options: CheckOptions(stopEarly: false, maxMemoryBytes: 1 << 20)).check(b.history)
        #expect(result.partitions.map(\.verdict).sorted { $0.rawValue < $1.rawValue } == [.invalid, .valid, .valid, .valid])
    }

    @Test func whatModelStatesHoldOnTheHeapCountsAgainstTheMemoryLimit() throws {
        // 12 concurrent appends of 20 kB each and a read no order explains (non-ASCII: no lookahead):
        // the states are long strings, few cached configurations; their bytes must stop the search.
        var b = HistoryBuilder()
        for p in 0..<12 { b.invoke(p, "append", .string(String(repeating: Character(Unicode.Scalar(UInt8(97 + p))), count: 20_000)), key: "x") }
        b.invoke(12, "get", key: "x"); b.ok(12, "get", "é", key: "x")
        for p in 0..<12 { b.ok(p, "append", .string(String(repeating: Character(Unicode.Scalar(UInt8(97 + p))), count: 20_000)), key: "x") }
        let options = CheckOptions(timeoutSeconds: 60, partitionTimeoutSeconds: nil, maxMemoryBytes: 8 << 20)
        let result = try LinearizabilityChecker(model: KVModel(), options: options).check(b.history)
        #expect(result.verdict == .unknown)
        #expect(result.partitions.first?.note?.contains("--max-memory") == true, "\(String(describing: result.partitions.first?.note))")
        // Counted, the strings pass 8 MB in about 0.2 s (debug); uncounted, the tables alone take
        // about 10 s to, while the strings grow to gigabytes.
        #expect(result.elapsedSeconds < 5)
    }

    @Test func defaultsBoundEveryCheck() {
        let options = CheckOptions()
        #expect(options.partitionTimeoutSeconds == 60)
        #expect(options.stopEarly)
        #expect(options.earlyStopGraceSeconds == 2)
        let total = MachineMemory.totalBytes
        #expect(total != nil && total ?? 0 > 1 << 20)
        #expect(options.maxMemoryBytes == total.map { $0 / 2 })
    }

    @Test func byteSizesAreParsed() {
        #expect(MachineMemory.parseBytes("512MB") == 512 << 20)
        #expect(MachineMemory.parseBytes("2GB") == 2 << 30)
        #expect(MachineMemory.parseBytes("1.5g") == 3 << 29)
        #expect(MachineMemory.parseBytes("64KiB") == 64 << 10)
        #expect(MachineMemory.parseBytes("4096") == 4096)
        for bad in ["", "MB", "0", "-1GB", "twoGB", "1XB"] {
            #expect(MachineMemory.parseBytes(bad) == nil, "\(bad)")
        }
    }

    @Test func thePluginReadsTheBudgetOptions() throws {
        let plugin = LinearizabilityPlugin()
        let defaults = try #require(try plugin.make([:]) as? LinearizabilityCheck)
        #expect(defaults.options.partitionTimeoutSeconds == 60)
        #expect(defaults.options.stopEarly)
        #expect(defaults.options.maxMemoryBytes == CheckOptions.defaultMaxMemoryBytes)
        let set = try #require(try plugin.make([
            "stopEarly": false, "earlyStopGraceSeconds": 5, "maxMemoryBytes": 1_000_000, "partitionTimeoutSeconds": 3,
        ]) as? LinearizabilityCheck)
        #expect(set.options.stopEarly == false)
        #expect(set.options.earlyStopGraceSeconds == 5)
        #expect(set.options.maxMemoryBytes == 1_000_000)
        #expect(set.options.partitionTimeoutSeconds == 3)
        for bad: [String: JSONValue] in [["stopEarly": "yes"], ["maxMemoryBytes": 0], ["maxMemoryBytes": "1GB"], ["earlyStopGraceSeconds": -1]] {
            #expect(throws: CheckerOptionError.self) { try plugin.make(bad) }
        }
    }
}
