import Runner
import Testing

/// Workload files: the defaults, every field, and errors that name the line and field.
struct WorkloadParserTests {
    @Test func readsEveryField() throws {
        let w = try WorkloadParser.parse("""
            name: etcd-register
            db:
              system: etcd
              binary: /usr/bin/etcd
            client:
              reads: serializable
              timeout: 500ms
            workload:
              model: cas-register
              ops-per-key: 100
              values: 3
              mix: {read: 1, write: 1, cas: 0}
            concurrency: 20
            rate: 500
            time-limit: 2m
            nemesis:
              faults: [partition, pause]
              interval: 5s
              recovery: 3s
            final-reads: false
            seed: 42
            """, file: "w.yml")
        #expect(w.name == "etcd-register")
        #expect(w.binary == "/usr/bin/etcd")
        #expect(w.reads == "serializable")
        #expect(w.requestTimeoutSeconds == 0.5)
        #expect(w.opsPerKey == 100)
        #expect(w.values == 3)
        #expect(w.mix == ["read": 1, "write": 1, "cas": 0])
        #expect(w.concurrency == 20)
        #expect(w.rate == 500)
        #expect(w.timeLimitSeconds == 120)
        #expect(w.nemeses == ["partition", "pause"])
        #expect(w.nemesisIntervalSeconds == 5)
        #expect(w.recoverySeconds == 3)
        #expect(w.finalReads == false)
        #expect(w.seed == 42)
    }

    @Test func emptyFileGivesDefaultsNamedAfterTheFile() throws {
        let w = try WorkloadParser.parse("{}", file: "Workloads/my-test.yml")
        #expect(w.name == "my-test")
        #expect(w == Workload(name: "my-test"))
    }

    @Test(arguments: [
        ("concurrency: 10\nratee: 5\n", 2, "ratee", "unknown field"),
        ("nemesis:\n  faults: [partition, flood]\n", 2, "nemesis.faults", "\"flood\" is not one of"),
        ("time-limit: soon\n", 1, "time-limit", "is not a duration"),
        ("concurrency: 0\n", 1, "concurrency", "between 1 and 1000"),
        ("client:\n  reads: sometimes\n", 2, "client.reads", "not one of linearizable, serializable"),
        ("workload:\n  mix: {read: 0}\n", 2, "workload.mix", "at least one function"),
        ("name: [a\n", nil, "", "not valid YAML"),
    ] as [(String, Int?, String, String)])
    func errorsNameLineAndField(_ yaml: String, _ line: Int?, _ field: String, _ words: String) {
        do {
            _ = try WorkloadParser.parse(yaml, file: "w.yml")
            Issue.record("accepted: \(yaml)")
        } catch {
            if let line { #expect(error.line == line, "\(error)") }
            #expect(error.field == field, "\(error)")
            #expect(error.message.contains(words), "\(error)")
            #expect(error.description.hasPrefix("w.yml"))
        }
    }

    @Test func shippedWorkloadsParse() throws {
        for name in ["etcd-register.yml"] {
            let path = SharedPaths.workloads + "/" + name
            let w = try WorkloadParser.read(path: path)
            #expect(w.system == "etcd")
        }
    }
}

/// Paths inside the checkout, for tests.
enum SharedPaths {
    static let workloads: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Workloads"
    }()
}
