import Basics
import Checkers
import Config
import Control
import Faults
import Foundation
import Histories
import Results
import Runner
import Synchronization
import Systems
import Testing
import Workloads

// A system, a workload kind, a checker and a fault family defined here, in the test target, and
// run through the real runner: the proof that a new plug-in needs no edit anywhere else.

/// A counter held in memory; with `lose-every: N` it silently drops every Nth add.
struct CounterSystemPlugin: SystemPlugin {
    var name: String { "counter-store" }
    var summary: String { "an in-memory counter (for tests)" }
    var workloadKinds: Set<String> { ["counter"] }

    func configure(_ db: ConfigSection) throws(ConfigError) -> ConfiguredSystem {
        var loseEvery = 0
        var setupDelay = 0.0
        try db.forEach(skipping: ["system"]) { f throws(ConfigError) in
            switch f.name {
            case "lose-every": loseEvery = try f.int(min: 0)
            case "setup-delay": setupDelay = try f.seconds(min: 0)
            default: throw f.unknown(expected: ["system", "lose-every", "setup-delay"])
            }
        }
        let store = CounterStore(loseEvery: loseEvery)
        return ConfiguredSystem(system: CounterSystem(setupDelaySeconds: setupDelay), settings: ["loseEvery": .int(Int64(loseEvery))]) { store }
    }
}

/// Its lifecycle: setup leaves a marker file on every node (through the node's Remote), teardown removes it.
struct CounterSystem: SystemUnderTest {
    var name: String { "counter-store" }
    func version() async throws(SystemError) -> String { "1" }

    static func marker(_ node: NodeConfig) -> String { node.dataDir + "/counter-store.up" }

    /// Seconds setup takes (a slow system's setup).
    var setupDelaySeconds = 0.0

    func setup(_ cluster: TestCluster) async throws(SystemError) {
        if setupDelaySeconds > 0 { try? await Task.sleep(for: .milliseconds(Int64(setupDelaySeconds * 1000))) }
        for node in cluster.nodes {
            try await run("mkdir -p \(ShellQuote.quote(node.dataDir)) && touch \(ShellQuote.quote(Self.marker(node)))", on: node, cluster, "setup")
        }
    }

    func teardown(_ cluster: TestCluster) async throws(SystemError) {
        for node in cluster.nodes { try await run("rm -f \(ShellQuote.quote(Self.marker(node)))", on: node, cluster, "teardown") }
    }

    private func run(_ script: String, on node: NodeConfig, _ cluster: TestCluster, _ what: String) async throws(SystemError) {
        let remote = try cluster.remote(node)
        do throws(RemoteError) { _ = try await remote.runScript(script) } catch { throw SystemError(error, doing: what) }
    }
}

/// The counter and its clients; a client drops adds while its node holds the drop-adds fault's file.
final class CounterStore: ClientFactory {
    private let state = Mutex((value: 0, adds: 0))
    let loseEvery: Int

    init(loseEvery: Int) { self.loseEvery = loseEvery }

    func makeClient(node: NodeConfig, options: ClientOptions) throws(SystemError) -> any Client { CounterClient(store: self, node: node) }

    func invoke(_ request: ClientRequest, dropAdds: Bool) -> ClientResponse {
        state.withLock { s in
            switch request.f {
            case "add":
                s.adds += 1
                if !dropAdds, loseEvery == 0 || s.adds % loseEvery != 0 { s.value += 1 }
                return ClientResponse(type: .ok, value: request.value)
            case "read":
                return ClientResponse(type: .ok, value: .int(Int64(s.value)))
            default:
                return ClientResponse(type: .fail, value: request.value, error: "unknown function \(request.f)")
            }
        }
    }
}

struct CounterClient: Client {
    let store: CounterStore
    let node: NodeConfig

    func invoke(_ request: ClientRequest) async -> ClientResponse {
        store.invoke(request, dropAdds: FileManager.default.fileExists(atPath: DropAddsFamily.path(node)))
    }

    func close() async {}
}

/// A fault that makes the counter drop adds on every node while it is active.
struct DropAddsFamily: FaultFamily {
    var name: String { "drop-adds" }
    var kinds: [String] { ["drop-adds"] }
    var colour: String { "#654321" }
    var help: String { "the counter store drops adds while active (for tests)" }

    static func path(_ node: NodeConfig) -> String { node.dataDir + "/drop-adds" }

    func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<NoDetails> {
        Planned(kind: kind, nodes: nodes, details: NoDetails())
    }

    func apply(_ plan: Planned<NoDetails>, in context: FaultContext) async throws(NemesisError) -> FaultStep<NoDetails> {
        await each(plan.nodes, "touch", context)
    }

    func undo(_ plan: Planned<NoDetails>, in context: FaultContext) async -> FaultStep<NoDetails> {
        await each(plan.nodes, "rm -f", context)
    }

    func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport {
        await context.runEverywhere({ "rm -f \(ShellQuote.quote(Self.path($0)))" }, doing: "heal drop-adds")
    }

    private func each(_ nodes: [String], _ command: String, _ context: FaultContext) async -> FaultStep<NoDetails> {
        let result = await context.eachNode(nodes) { node, remote throws(NemesisError) -> Bool in
            _ = try await context.run(remote, "\(command) \(ShellQuote.quote(Self.path(node)))", sudo: false, doing: command)
            return true
        }
        return FaultStep(details: NoDetails(), errors: result.errors)
    }
}

/// Adds of 1 and reads of one counter.
struct CounterKind: WorkloadKind {
    var name: String { "counter" }
    var summary: String { "adds and reads of one counter (for tests)" }

    func configure(_ section: ConfigSection) throws(ConfigError) -> any Workload {
        try section.forEach(skipping: ["kind"]) { f throws(ConfigError) in throw f.unknown(expected: ["kind"]) }
        return CounterWorkload()
    }
}

struct CounterWorkload: Workload {
    var kind: String { "counter" }
    var functions: [String] { ["add", "read"] }
    var opsPerKey: Int { Int.max }
    var checkers: [CheckerSpec] { [CheckerSpec("counter")] }
    var settings: [String: JSONValue] { [:] }

    func generator(seed: UInt64, worker: Int) -> any OpGenerator { CounterGenerator(rng: SplitMix(seed: seed &+ UInt64(worker))) }

    func finalRequests(keys: [String]) -> [ClientRequest] { [ClientRequest(f: "read", key: "counter", value: .null)] }
}

struct CounterGenerator: OpGenerator {
    var rng: SplitMix

    mutating func next(keys: WorkerKeys) -> ClientRequest {
        rng.next(below: 4) == 0 ? ClientRequest(f: "read", key: "counter", value: .null) : ClientRequest(f: "add", key: "counter", value: .int(1))
    }
}

/// The last read must count every acknowledged add.
struct CounterCheckerPlugin: CheckerPlugin {
    var name: String { "counter" }
    var summary: String { "the final read counts every acknowledged add (for tests)" }
    func make(_ options: [String: JSONValue]) throws(CheckerOptionError) -> any Checker { CounterChecker() }
}

struct CounterChecker: Checker {
    var name: String { "counter" }

    func check(_ history: History) -> CheckerOutcome {
        let ops = history.operations.filter { $0.process != .nemesis }
        let acknowledged = ops.filter { $0.f == "add" && $0.type == .ok }.count
        guard let last = ops.last(where: { $0.f == "read" && $0.type == .ok }), let value = last.value.intValue else {
            return .unknown(name, reason: "no successful read")
        }
        if value >= acknowledged {
            return CheckerOutcome(checker: name, verdict: .valid, summary: "\(acknowledged) adds acknowledged, final read \(value)")
        }
        let finding = Finding(
            kind: "lost-add", key: last.key, operations: [last.index],
            prose: "\(acknowledged) adds were acknowledged but the final read (op \(last.index)) saw \(value): \(acknowledged - Int(value)) lost")
        return CheckerOutcome(checker: name, verdict: .invalid, summary: "lost adds", findings: [finding])
    }
}

/// A fault that is always refused before anything runs.
struct RefusedFamily: FaultFamily {
    var name: String { "refused" }
    var kinds: [String] { ["refused"] }
    var colour: String { "#111111" }
    var help: String { "always refused (for tests)" }

    func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<NoDetails> {
        Planned(kind: kind, nodes: nodes, details: NoDetails())
    }

    func apply(_ plan: Planned<NoDetails>, in context: FaultContext) async throws(NemesisError) -> FaultStep<NoDetails> {
        throw NemesisError(.refused, message: "this cluster cannot have it")
    }

    func undo(_ plan: Planned<NoDetails>, in context: FaultContext) async -> FaultStep<NoDetails> { FaultStep(details: NoDetails()) }

    func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport { HealReport() }
}

@Suite("A system, workload kind and checker from the test target run through the real runner")
struct PluginExtensionTests {
    let registry = PluginRegistry(
        systems: [CounterSystemPlugin()], workloads: [CounterKind()], checkers: [CounterCheckerPlugin()], faults: [DropAddsFamily(), RefusedFamily()])

    func run(_ yaml: String, dataDir: String? = nil) async throws -> (TestRun.Outcome, String) {
        let root = NSTemporaryDirectory() + "schism-plugins-\(UUID().uuidString)"
        let nodes = (1...2).map { NodeConfig(name: "n\($0)", host: "127.0.0.1", dataDir: dataDir ?? root + "/n\($0)") }
        let cluster = TestCluster(nodes: nodes, remotes: RemoteSet(remotes: nodes.map { LocalRemote(node: $0.name) }))
        let plan = try TestPlanParser(registry: registry).parse(yaml, file: "counter.yml")
        let outcome = await TestRun(plan: plan, seed: plan.seed ?? 1, cluster: cluster, registry: registry, resultsRoot: root)
            .run(stop: StopSignal()) { _ in }
        return (outcome, root)
    }

    static let base = "workload: {kind: counter}\nnemesis: {faults: none}\ntime-limit: 3\nconcurrency: 3\nrate: 1000\nseed: 5\n"

    /// A run that cannot start (here its setup fails) still leaves what the index of runs and
    /// CI read: a summary saying failed, and a JUnit file with one error naming why.
    @Test func aRunWhoseSetupFailsLeavesASummaryAndJUnit() async throws {
        let (outcome, root) = try await run("db: {system: counter-store}\n" + Self.base, dataDir: "/dev/null/no-such-folder")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(outcome.exitCode == ExitStatus.unavailable && outcome.verdict == nil, "\(outcome)")
        let folder = try #require(outcome.folder)
        let summary = try #require(RunSummary.read(folder: folder.path))
        #expect(summary.verdict == RunSummary.failed && summary.exitCode == ExitStatus.unavailable && summary.system == "counter-store")
        let junit = try String(contentsOfFile: folder.junitXML, encoding: .utf8)
        #expect(junit.contains("errors=\"1\"") && junit.contains("counter-store did not start"), "\(junit)")
    }

    @Test func aCorrectCounterIsValid() async throws {
        let (outcome, root) = try await run("db: {system: counter-store}\n" + Self.base)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(outcome.verdict == .valid, "\(outcome)")
        let folder = try #require(outcome.folder)
        let history = try HistoryReader.read(path: folder.history)
        #expect(history.operations.filter { $0.f == "add" && $0.type == .ok }.count > 10)
        // Teardown ran through each node's Remote: the marker setup left is gone.
        #expect(!FileManager.default.fileExists(atPath: root + "/n1/counter-store.up"))
        #expect(try String(contentsOfFile: folder.testJSON, encoding: .utf8).contains("\"counter\""))
    }

    @Test func aLossyCounterIsInvalidWithTheCheckersFinding() async throws {
        let (outcome, root) = try await run("db: {system: counter-store, lose-every: 2}\n" + Self.base)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(outcome.verdict == .invalid, "\(outcome)")
        #expect(outcome.exitCode == ExitStatus.invalid)
        let folder = try #require(outcome.folder)
        let results = try String(contentsOfFile: folder.resultsJSON, encoding: .utf8)
        #expect(results.contains("lost-add"))
        // The report renders the new checker's findings with no code in Report.
        let report = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(report.contains("lost-add") && report.contains("adds were acknowledged"), "\(report)")
        #expect(try String(contentsOfFile: folder.reportHTML, encoding: .utf8).contains("adds were acknowledged"))
    }

    @Test func anUnsupportedPairIsRefusedBeforeAnythingRuns() throws {
        var other = registry
        other.workloads.append(UnsupportedKind())
        do {
            _ = try TestPlanParser(registry: other).parse("db: {system: counter-store}\nworkload: {kind: other}\n", file: "w.yml")
            Issue.record("an unsupported workload kind was accepted")
        } catch {
            #expect(error.field == "workload.kind")
            #expect(error.message.contains("does not support the other workload"), "\(error)")
        }
    }

    @Test func aRefusedFaultIsAFailedNemesisOperationAndANote() async throws {
        let yaml = "db: {system: counter-store}\nworkload: {kind: counter}\nnemesis: {faults: [refused], interval: 0.5, recovery: 0}\n"
            + "time-limit: 2\nconcurrency: 2\nrate: 200\nseed: 5\n"
        let (outcome, root) = try await run(yaml)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try #require(outcome.folder)
        let history = try HistoryReader.read(path: folder.history)
        let start = try #require(history.operations.first { $0.process == .nemesis && $0.f == "start-refused" })
        #expect(start.type == .fail)
        #expect(start.error?.contains("cannot have it") == true)
        let report = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(report.contains("refused and did not run"), "\(report)")
    }

    @Test func theTestFaultDropsAddsAndTheRunSaysWhen() async throws {
        let yaml = "db: {system: counter-store}\nworkload: {kind: counter}\nnemesis: {faults: [drop-adds], interval: 0.5, recovery: 0}\n"
            + "time-limit: 2\nconcurrency: 3\nrate: 1000\nseed: 5\n"
        let (outcome, root) = try await run(yaml)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(outcome.verdict == .invalid, "\(outcome)")
        let folder = try #require(outcome.folder)
        let history = try HistoryReader.read(path: folder.history)
        #expect(history.operations.contains { $0.process == .nemesis && $0.f == "start-drop-adds" })
        #expect(history.operations.contains { $0.process == .nemesis && $0.f == "stop-drop-adds" })
        #expect(try String(contentsOfFile: folder.faults, encoding: .utf8).contains("\"drop-adds\""))
        // Healed: no node keeps the fault's file; the report shades the fault in its registered colour.
        #expect(!FileManager.default.fileExists(atPath: root + "/n1/drop-adds"))
        #expect(try String(contentsOfFile: folder.reportHTML, encoding: .utf8).contains("#654321"))
    }
}

extension PluginExtensionTests {
    @Test func faultsCountFromTheWorkersStartNotFromBeforeASlowSetup() async throws {
        let yaml = "db: {system: counter-store, setup-delay: 1.5}\nworkload: {kind: counter}\n"
            + "nemesis: {faults: [drop-adds], interval: 0.6, recovery: 0}\ntime-limit: 2\nconcurrency: 2\nrate: 200\nseed: 5\n"
        let (outcome, root) = try await run(yaml)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try #require(outcome.folder)
        let history = try HistoryReader.read(path: folder.history)
        let firstClient = try #require(history.operations.first { $0.process != .nemesis })
        let start = try #require(history.operations.first { $0.process == .nemesis && $0.f == "start-drop-adds" })
        // One interval after the workers began; before the fix it fired at once, as setup had outlasted it.
        let gap = Double((start.time ?? 0) - (firstClient.time ?? 0)) / 1e9
        #expect(gap > 0.45 && gap < 1.2, "the fault started \(gap) s after the first operation")
    }
}

struct UnsupportedKind: WorkloadKind {
    var name: String { "other" }
    var summary: String { "" }
    func configure(_ section: ConfigSection) throws(ConfigError) -> any Workload { CounterWorkload() }
}
