import Config
import Plugins
import Runner
import Testing
import Workloads

/// Workload files: the defaults, every field, and errors that name the line and field.
struct WorkloadParserTests {
    let parser = TestPlanParser(registry: BuiltIn.registry)

    @Test func readsEveryField() throws {
        let w = try parser.parse("""
            name: etcd-register
            db:
              system: etcd
              binary: /usr/bin/etcd
              reads: serializable
            client:
              timeout: 500ms
            workload:
              kind: register
              model: cas-register
              ops-per-key: 100
              values: 3
              mix: {read: 1, write: 1, cas: 0}
              check-timeout: 2m
              key-check-timeout: 10s
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
        #expect(w.systemName == "etcd")
        #expect(w.system.settings["binary"] == .string("/usr/bin/etcd"))
        #expect(w.system.settings["reads"] == .string("serializable"))
        #expect(w.system.system.notes.contains { $0.contains("serializable") })
        #expect(w.requestTimeoutSeconds == 0.5)
        let register = try #require(w.workload as? RegisterWorkload)
        #expect(register.opsPerKey == 100)
        #expect(register.values == 3)
        #expect(register.mix == ["read": 1, "write": 1, "cas": 0])
        #expect(register.checkTimeoutSeconds == 120)
        #expect(register.keyCheckTimeoutSeconds == 10)
        #expect(w.workload.checkers.map(\.name) == ["linearizability"])
        #expect(w.workload.checkers.first?.options["partitionTimeoutSeconds"] == .number(10))
        #expect(w.concurrency == 20)
        #expect(w.rate == 500)
        #expect(w.timeLimitSeconds == 120)
        #expect(w.faults == ["partition", "pause"])
        #expect(w.nemesisIntervalSeconds == 5)
        #expect(w.recoverySeconds == 3)
        #expect(w.finalReads == false)
        #expect(w.seed == 42)
    }

    @Test func emptyFileGivesDefaultsNamedAfterTheFile() throws {
        let w = try parser.parse("{}", file: "Workloads/my-test.yml")
        #expect(w.name == "my-test")
        #expect(w.systemName == BuiltIn.registry.systems.first?.name)
        #expect(w.workload as? RegisterWorkload == RegisterWorkload())
        #expect(w.faults == BuiltIn.registry.faults.families.map(\.name))
        #expect(w.faultKinds == BuiltIn.registry.faults.kindNames)
        #expect(w.concurrency == 10 && w.rate == 200 && w.timeLimitSeconds == 60)
    }

    @Test(arguments: [
        ("concurrency: 10\nratee: 5\n", 2, "ratee", "unknown field"),
        ("nemesis:\n  faults: [partition, flood]\n", 2, "nemesis.faults", "unknown fault \"flood\"; choose from none, partition"),
        ("nemesis:\n  faults: [none, kill]\n", 2, "nemesis.faults", "\"none\" means no faults and cannot be combined"),
        ("time-limit: soon\n", 1, "time-limit", "is not a duration"),
        ("concurrency: 0\n", 1, "concurrency", "between 1 and 1000"),
        ("db:\n  reads: sometimes\n", 2, "db.reads", "not one of linearizable, serializable"),
        ("client:\n  reads: serializable\n", 2, "client.reads", "moved to db.reads"),
        ("db:\n  system: mongo\n", 2, "db.system", "not a system Schism knows"),
        ("db:\n  binary: /nonexistent/etcd\n", 2, "db.binary", "apt-get install etcd-server"),
        ("workload:\n  kind: bank\n", 2, "workload.kind", "not a workload kind"),
        ("workload:\n  mix: {read: 0}\n", 2, "workload.mix", "at least one function"),
        ("workload:\n  model: register\n  mix: {cas: 1}\n", 3, "workload.mix", "has no cas"),
        ("name: [a\n", nil, "", "not valid YAML"),
    ] as [(String, Int?, String, String)])
    func errorsNameLineAndField(_ yaml: String, _ line: Int?, _ field: String, _ words: String) {
        do {
            _ = try parser.parse(yaml, file: "w.yml")
            Issue.record("accepted: \(yaml)")
        } catch {
            if let line { #expect(error.line == line, "\(error)") }
            #expect(error.field == field, "\(error)")
            #expect(error.message.contains(words), "\(error)")
            #expect(error.description.hasPrefix("w.yml"))
        }
    }

    @Test func flagsOverrideTheFileAndAreNamedInErrors() throws {
        let w = try parser.parse("concurrency: 5\n", file: "w.yml", overrides: [.init("concurrency", "7", flag: "--concurrency")])
        #expect(w.concurrency == 7)
        do {
            _ = try parser.parse("{}", file: "w.yml", overrides: [.init("time-limit", "0", flag: "--time-limit")])
            Issue.record("accepted --time-limit 0")
        } catch {
            #expect(error.file == "--time-limit", "\(error)")
            #expect(error.message.contains("at least 1"), "\(error)")
        }
    }

    @Test func aPlainRegisterDropsCasFromTheDefaultMix() throws {
        let w = try parser.parse("workload: {model: register}\n", file: "w.yml")
        #expect(w.workload.functions == ["read", "write"])
    }

    @Test func shippedWorkloadsParse() throws {
        for name in ["etcd-register.yml"] {
            let path = SharedPaths.workloads + "/" + name
            let w = try parser.read(path: path)
            #expect(w.systemName == "etcd")
            #expect(w.workload.kind == "register")
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
