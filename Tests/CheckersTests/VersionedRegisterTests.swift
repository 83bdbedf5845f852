import Basics
import Checkers
import Histories
import Testing

/// Builds register histories whose completions may carry a `version`, on one key.
struct VersionedBuilder {
    var operations: [Op] = []

    mutating func invoke(_ p: Int, _ f: String, _ v: JSONValue = .null, key: String = "k") {
        operations.append(Op(index: operations.count, process: .client(p), type: .invoke, f: f, key: key, value: v))
    }

    mutating func ok(_ p: Int, _ f: String, _ v: JSONValue = .null, version: Int64?, key: String = "k") {
        operations.append(Op(
            index: operations.count, process: .client(p), type: .ok, f: f, key: key, value: v,
            extra: version.map { ["version": .int($0)] } ?? [:]))
    }

    mutating func info(_ p: Int, _ f: String, _ v: JSONValue = .null, key: String = "k") {
        operations.append(Op(index: operations.count, process: .client(p), type: .info, f: f, key: key, value: v))
    }

    /// A whole operation, invoked and completed ok, with nothing in between.
    mutating func done(_ p: Int, _ f: String, _ v: JSONValue = .null, version: Int64?, key: String = "k") {
        invoke(p, f, f == "read" ? .null : v, key: key)
        ok(p, f, v, version: version, key: key)
    }
}

/// The versioned register model: its rules, its soundness, and when the plug-in chooses it.
struct VersionedRegisterTests {
    /// The plug-in's outcome for `ops` with the workload's `model`.
    static func check(_ ops: [Op], model: String = "cas-register") throws -> CheckerOutcome {
        try LinearizabilityPlugin().make(["model": .string(model)]).check(History(operations: ops))
    }

    /// The search's verdict with the versioned model on prepared operations.
    static func versioned(_ ops: [Op]) throws -> Verdict {
        let choice = RegisterVersions.choose(VersionedRegisterModel(), for: OpLog(ops), nullReadsAreUnknown: false)
        return try LinearizabilityChecker(model: choice.model, options: CheckOptions(parallelism: 1))
            .check(operations: choice.operations).verdict
    }

    /// Operations one after another: (process, f, value, version).
    static func sequential(_ steps: [(Int, String, JSONValue, Int64?)]) -> [Op] {
        var b = VersionedBuilder()
        for (p, f, v, version) in steps { b.done(p, f, v, version: version) }
        return b.operations
    }

    static func plain(_ ops: [Op]) throws -> Verdict {
        try LinearizabilityChecker(model: RegisterModel(allowsCAS: true), options: CheckOptions(parallelism: 1))
            .check(operations: ops).verdict
    }

    @Test("a stale read of an older (value, version) after a newer write completed is invalid, even when the values are equal")
    func staleRead() throws {
        var b = VersionedBuilder()
        b.done(0, "write", 1, version: 5)
        b.done(0, "write", 1, version: 7)
        b.done(1, "read", 1, version: 5)
        // The plain model cannot see it: the value is the same.
        #expect(try Self.plain(b.operations) == .valid)
        let outcome = try Self.check(b.operations)
        #expect(outcome.verdict == .invalid)
        #expect(outcome.summary.contains("model versioned-register"), "\(outcome.summary)")
        let prose = outcome.findings.first?.prose ?? ""
        #expect(prose.contains("1 ok read of 1 @5 is not placed yet") && prose.contains("read a stale value"), "\(prose)")

        #expect(try Self.versioned(Self.sequential([(0, "write", 1, 5), (0, "write", 2, 7), (1, "read", 1, 5)])) == .invalid)
    }

    @Test("a read of a version no write produced is invalid")
    func unknownVersion() throws {
        #expect(try Self.versioned(Self.sequential([(0, "write", 1, 5), (1, "read", 1, 6)])) == .invalid)
        #expect(try Self.versioned(Self.sequential([(1, "read", .null, 3)])) == .invalid, "the initial state has version 0")
        #expect(try Self.versioned(Self.sequential([(1, "read", .null, 0), (0, "write", 2, 4)])) == .valid)
    }

    @Test("writes take effect in version order: a write whose version is not above the last one cannot follow it")
    func versionOrder() throws {
        #expect(try Self.versioned(Self.sequential([(0, "write", 1, 9), (0, "write", 2, 4)])) == .invalid)
        // Concurrent: the versions choose the order, and a read pins its place.
        var c = VersionedBuilder()
        c.invoke(0, "write", 1)
        c.invoke(1, "write", 2)
        c.ok(1, "write", 2, version: 4)
        c.ok(0, "write", 1, version: 9)
        c.done(2, "read", 1, version: 9)
        #expect(try Self.versioned(c.operations) == .valid)
        var d = c
        d.done(2, "read", 2, version: 4)
        #expect(try Self.versioned(d.operations) == .invalid)
        #expect(try Self.plain(d.operations) == .invalid)
    }

    @Test("an info write's version is unknown but above the last: a later read pins it, consistently")
    func unknownWrites() throws {
        var b = VersionedBuilder()
        b.done(0, "write", 1, version: 5)
        b.invoke(1, "write", 3)
        b.info(1, "write", 3)
        b.done(2, "read", 3, version: 8)
        #expect(try Self.versioned(b.operations) == .valid)
        var pinned = b
        pinned.done(2, "read", 3, version: 8)
        #expect(try Self.versioned(pinned.operations) == .valid)
        var moved = b
        moved.done(2, "read", 3, version: 9)
        #expect(try Self.versioned(moved.operations) == .invalid, "the read pinned version 8")
        var below = VersionedBuilder()
        below.done(0, "write", 1, version: 5)
        below.invoke(1, "write", 3)
        below.info(1, "write", 3)
        below.done(2, "read", 3, version: 5)
        #expect(try Self.versioned(below.operations) == .invalid, "a version not above the write before")
        var later = b
        later.done(0, "write", 4, version: 7)
        #expect(try Self.versioned(later.operations) == .invalid, "a write after version 8 has a higher version")
        // An ok read without a version steps as in the plain register.
        var noVersion = VersionedBuilder()
        noVersion.done(0, "write", 1, version: 5)
        noVersion.done(1, "read", 1, version: nil)
        #expect(try Self.versioned(noVersion.operations) == .valid)
    }

    @Test("cas compares the value; on success its version is its write's")
    func cas() throws {
        var b = VersionedBuilder()
        b.done(0, "write", 1, version: 5)
        b.done(1, "cas", [1, 2], version: 6)
        b.done(2, "read", 2, version: 6)
        #expect(try Self.versioned(b.operations) == .valid)
        var wrong = VersionedBuilder()
        wrong.done(0, "write", 1, version: 5)
        wrong.done(1, "cas", [3, 2], version: 6)
        #expect(try Self.versioned(wrong.operations) == .invalid)
    }

    @Test("the plug-in chooses the versioned model only when every ok read, write and cas carries a version")
    func selection() throws {
        var b = VersionedBuilder()
        b.done(0, "write", 1, version: 5)
        b.done(1, "read", 1, version: 5)
        let versioned = try Self.check(b.operations)
        #expect(versioned.verdict == .valid)
        #expect(versioned.summary.contains("model versioned-register (for cas-register"), "\(versioned.summary)")
        #expect(try Self.check(b.operations, model: "register").summary.contains("model versioned-register (for register"))
        var partial = b
        partial.done(1, "read", 1, version: nil)
        let plain = try Self.check(partial.operations)
        #expect(plain.summary.contains("model cas-register (plain model: 1 of 3 ok reads and writes carry no version)"), "\(plain.summary)")
        var none = VersionedBuilder()
        none.done(0, "write", 1, version: nil)
        #expect(try Self.check(none.operations).summary.contains("model cas-register (plain model: the history carries no versions)"))
        // Other models are left alone.
        #expect(try !Self.check([], model: "kv").summary.contains("plain model"))
        // A raw history given straight to the versioned model is refused with a reason.
        #expect(throws: CheckError.self) {
            try LinearizabilityChecker(model: VersionedRegisterModel()).check(operations: b.operations)
        }
    }
}
