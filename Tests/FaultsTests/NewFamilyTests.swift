import Basics
import Control
import ControlTestKit
import Foundation
import Systems
import Testing

import Faults

/// A fault family written here, in the test target, without any edit to Sources.
///
/// It leaves a marker file on some nodes while active: apply writes it, undo removes it, heal
/// removes it on every node. This is the whole of a new family: one type and one registry line.
struct MarkerFamily: FaultFamily {
    var name: String { "marker" }
    var kinds: [String] { ["marker-one", "marker-all"] }
    var aliases: [String] { ["flag"] }
    var colour: String { "#123456" }
    var help: String { "leave a marker file on some nodes" }

    /// The plan's details: the text written into the file.
    struct Plan: FaultDetails {
        var text: String
        init(text: String) { self.text = text }
        init(json: [String: JSONValue]) throws(NemesisError) { text = try json.field("text", \.stringValue) }
        var json: [String: JSONValue] { ["text": .string(text)] }
    }

    static func path(_ node: NodeConfig) -> String { node.dataDir + "/marker" }

    func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<Plan> {
        let targets = TargetSpec.draw(kind == "marker-all" ? [.all] : [.one], from: nodes, using: &rng)
        return Planned(kind: kind, nodes: targets, details: Plan(text: "m\(rng.next() % 1000)"))
    }

    func apply(_ plan: Planned<Plan>, in context: FaultContext) async throws(NemesisError) -> FaultStep<Plan> {
        let text = plan.details.text
        let result = await context.eachNode(plan.nodes) { node, remote throws(NemesisError) -> Bool in
            try await context.run(remote, "echo \(text) > \(ShellQuote.quote(Self.path(node)))", sudo: false, doing: "mark")
            return true
        }
        return FaultStep(details: plan.details, errors: result.errors)
    }

    func undo(_ plan: Planned<Plan>, in context: FaultContext) async -> FaultStep<NoDetails> {
        let result = await context.eachNode(plan.nodes) { node, remote throws(NemesisError) -> Bool in
            try await context.run(remote, "rm -f \(ShellQuote.quote(Self.path(node)))", sudo: false, doing: "unmark")
            return true
        }
        return FaultStep(details: NoDetails(), errors: result.errors)
    }

    func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport {
        await context.runEverywhere({ "rm -f \(ShellQuote.quote(Self.path($0)))" }, doing: "unmark")
    }
}

@Suite struct NewFamilyTests {
    @Test func aNewFamilyRunsThroughTheScheduleAndTheController() async throws {
        let remotes = ["n1", "n2", "n3"].map { FakeRemote(node: $0) }
        let nodes = remotes.enumerated().map { NodeConfig(name: $1.node, host: "192.0.2.\($0 + 11)", dataDir: "/data/\($1.node)") }
        let registry = FaultRegistry([PartitionFamily(), MarkerFamily()])
        let kinds = try registry.resolve(["flag"])
        #expect(kinds == ["marker-one", "marker-all"])
        #expect(registry.colours["marker"] == "#123456")

        let dir = NSTemporaryDirectory() + "schism-marker-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = try FaultJournal(path: dir + "/faults.jsonl")
        let nemesis = NemesisController(
            cluster: TestCluster(nodes: nodes, remotes: RemoteSet(remotes: remotes)), system: nil, registry: registry,
            journal: journal)
        let schedule = NemesisSchedule(seed: 5, kinds: kinds, intervalSeconds: 1, durationSeconds: 8)
        #expect(schedule.actions.count == 8)
        var active: [Int: FaultRecord] = [:]
        for action in schedule.actions {
            switch action.phase {
            case .start:
                let fault = try await nemesis.start(action.kind, seed: action.seed)
                #expect(fault.event.f == "start-marker" && fault.event.kind == action.kind)
                #expect(fault.event.details["text"]?.stringValue?.hasPrefix("m") == true)
                #expect(nemesis.activeFaults.count == 1)
                active[action.faultNumber] = fault
            case .stop:
                let removed = active.removeValue(forKey: action.faultNumber)
                let fault = try #require(removed)
                let event = await nemesis.stop(fault)
                #expect(event.f == "stop-marker" && event.errors.isEmpty)
            }
        }
        #expect(nemesis.activeFaults.isEmpty)
        // The same seed plans the same fault again.
        let first = try #require(schedule.starts.first)
        var a = SplitMix(seed: first.seed)
        var b = SplitMix(seed: first.seed)
        #expect(try nemesis.plan(first.kind, using: &a) == nemesis.plan(first.kind, using: &b))

        let marked = remotes.flatMap(\.scripts).filter { $0.hasPrefix("echo m") }
        let unmarked = remotes.flatMap(\.scripts).filter { $0.hasPrefix("rm -f") }
        #expect(!marked.isEmpty && marked.count == unmarked.count)
        let report = await nemesis.healAll()
        #expect(report.isClean, "\(report.lines)")
        #expect(remotes.allSatisfy { $0.scripts.last?.hasPrefix("rm -f") == true }, "heal unmarks every node")

        let events = try FaultJournal.read(path: dir + "/faults.jsonl")
        #expect(events.filter { $0.phase == .start }.count == 4)
        #expect(events.filter { $0.phase == .start }.allSatisfy { $0.family == "marker" })
        #expect(events.last?.phase == .heal)
        journal.close()
    }
}
