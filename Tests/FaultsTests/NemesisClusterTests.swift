import Basics
import Control
import Systems
import Foundation
import SyntheticHistories
import Testing

@testable import Faults

/// Faults on a real 3-node local cluster: traffic really blocked, processes really stopped,
/// clocks really shifted for libc programs, and everything undone by heal.
@Suite(.serialized, .enabled(if: isRoot, needsRootReason), .nemesisCluster)
struct NemesisClusterTests {
    @Test func partitionBlocksPeersButNeverTheController() async throws {
        let cluster = try NemesisClusterFixture.testCluster()
        defer { Task { await cluster.remotes.closeAll() } }
        for node in ["n1", "n2", "n3"] { _ = try await Probe.sh(cluster, node, Probe.markerScript) }
        let nemesis = NemesisController(cluster: cluster, system: nil, registry: TestRegistry.builtIn)
        #expect(try await Probe.connects(cluster, from: "n1", to: "n2"))

        let plan = FaultPlan(
            kind: "partition-one", nodes: ["n1", "n2", "n3"], details: PartitionPlan(grudge: Grudge.complete([["n1"], ["n2", "n3"]])))
        let fault = try await nemesis.start(plan)
        #expect(fault.event.errors.isEmpty, "\(fault.event.errors)")
        #expect(try await !Probe.connects(cluster, from: "n1", to: "n2", attempts: 1))
        #expect(try await !Probe.connects(cluster, from: "n3", to: "n1", attempts: 1))
        #expect(try await Probe.connects(cluster, from: "n2", to: "n3"))
        for node in ["n1", "n2", "n3"] {
            #expect(try await Probe.sh(cluster, node, "true").exitStatus == 0, "controller reaches \(node)")
            let chain = try await Probe.schismChain(cluster, node) ?? ""
            #expect(chain.contains("-s 10.77.194.1/32 -j RETURN"))
        }

        let stop = await nemesis.stop(fault)
        #expect(stop.errors.isEmpty, "\(stop.errors)")
        #expect(try await Probe.connects(cluster, from: "n1", to: "n2"))
        #expect(try await Probe.connects(cluster, from: "n3", to: "n1"))
        for node in ["n1", "n2", "n3"] {
            #expect(try await Probe.schismChain(cluster, node) == nil, "chain removed once empty on \(node)")
            #expect(try await Probe.markersIntact(cluster, node))
            #expect(try await !Probe.sh(cluster, node, "iptables -w 5 -S INPUT").stdoutText.contains("SCHISM"))
        }
    }

    @Test func packetLossRulesComeAndGoOthersStay() async throws {
        let cluster = try NemesisClusterFixture.testCluster()
        defer { Task { await cluster.remotes.closeAll() } }
        for node in ["n1", "n2", "n3"] { _ = try await Probe.sh(cluster, node, Probe.markerScript) }
        let nemesis = NemesisController(cluster: cluster, system: nil, registry: TestRegistry.builtIn)
        let fault = try await nemesis.start(FaultPlan(kind: "packet-loss", nodes: ["n2", "n3"], details: PacketLossPlan(probability: 0.5)))
        #expect(fault.event.errors.isEmpty, "\(fault.event.errors)")
        #expect(fault.event.details["netem"] == "unavailable")
        let rules = try await Probe.schismChain(cluster, "n2") ?? ""
        #expect(rules.contains("-s 10.77.194.11/32 -m statistic --mode random --probability 0.5"))
        #expect(rules.contains("-s 10.77.194.13/32"))
        #expect(try await Probe.schismChain(cluster, "n1") == nil)
        // A partition on top; heal undoes both, and only what Schism owns.
        var rng = SplitMix(seed: 1)
        _ = try await nemesis.start("partition-random-halves", using: &rng)
        let report = await nemesis.healAll()
        #expect(report.isClean, "\(report.lines)")
        #expect(report.stopped.count == 2)
        for node in ["n1", "n2", "n3"] {
            #expect(try await Probe.schismChain(cluster, node) == nil)
            #expect(try await Probe.markersIntact(cluster, node))
        }
        #expect(nemesis.activeFaults.isEmpty)
    }

    @Test func killAndPauseThenHeal() async throws {
        let cluster = try NemesisClusterFixture.testCluster()
        defer { Task { await cluster.remotes.closeAll() } }
        let db = DummyDatabase()
        try await db.setup(cluster)
        let nemesis = NemesisController(cluster: cluster, system: db, registry: TestRegistry.builtIn)
        let pause = try await nemesis.start(FaultPlan(kind: "pause", nodes: ["n1", "n2"]))
        #expect(pause.event.errors.isEmpty, "\(pause.event.errors)")
        #expect(try await Probe.dummyState(cluster, "n1") == "T")
        #expect(try await Probe.dummyState(cluster, "n2") == "T")
        #expect(try await Probe.dummyState(cluster, "n3") == "S")
        let kill = try await nemesis.start(FaultPlan(kind: "kill", nodes: ["n3"]))
        #expect(kill.event.errors.isEmpty, "\(kill.event.errors)")
        #expect(try await Probe.dummyState(cluster, "n3") == nil)
        let stopped = await nemesis.stop(pause)
        #expect(stopped.errors.isEmpty)
        #expect(try await Probe.dummyState(cluster, "n1") == "S")
        _ = try await nemesis.start(FaultPlan(kind: "pause", nodes: ["n2"]))
        let report = await nemesis.healAll()
        #expect(report.isClean, "\(report.lines)")
        for node in ["n1", "n2", "n3"] { #expect(try await Probe.dummyState(cluster, node) == "S", "\(node) running") }
        try await db.teardown(cluster)
    }

    @Test func healAfterACrashedControllerLeavesNothing() async throws {
        let cluster = try NemesisClusterFixture.testCluster()
        defer { Task { await cluster.remotes.closeAll() } }
        let db = DummyDatabase()
        try await db.setup(cluster)
        let dir = NSTemporaryDirectory() + "schism-nemesis-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/faults.jsonl"
        do {
            // A controller that starts faults and is dropped without healing, as if killed.
            let journal = try FaultJournal(path: path)
            let crashed = NemesisController(cluster: cluster, system: db, registry: TestRegistry.builtIn, journal: journal)
            var rng = SplitMix(seed: 77)
            _ = try await crashed.start("partition-majorities-ring", using: &rng)
            _ = try await crashed.start(FaultPlan(kind: "packet-loss", nodes: ["n1"], details: PacketLossPlan(probability: 0.3)))
            _ = try await crashed.start(FaultPlan(kind: "pause", nodes: ["n1", "n3"]))
            _ = try await crashed.start(FaultPlan(kind: "clock-bump", nodes: ["n2"], details: ClockPlan(deltaMilliseconds: -3_000)))
        }
        #expect(try await Probe.dummyState(cluster, "n3") == "T")
        #expect(try await Probe.schismChain(cluster, "n1") != nil)
        let events = try FaultJournal.read(path: path)
        #expect(events.map(\.phase) == [.start, .start, .start, .start])

        let report = await Healer(registry: TestRegistry.builtIn, nodes: cluster.nodes, remotes: cluster.remotes)
            .heal(events: events)
        #expect(report.isClean, "\(report.lines)")
        #expect(report.actions.contains { $0.what.hasPrefix("removed chain SCHISM") })
        #expect(report.actions.contains { $0.what.hasPrefix("resumed stopped process") })
        #expect(report.actions.contains { $0.node == "n2" && $0.what.contains("(was -3.000)") })
        for node in cluster.nodes {
            #expect(try await Probe.schismChain(cluster, node.name) == nil)
            #expect(try await Probe.dummyState(cluster, node.name) == "S")
            let file = "cat \(ClockScripts.faketimePath(node)) 2>/dev/null || echo +0"
            #expect(try await Probe.sh(cluster, node.name, file).stdoutText == "+0\n")
        }
        // A second heal finds nothing left.
        let again = await Healer(registry: TestRegistry.builtIn, nodes: cluster.nodes, remotes: cluster.remotes).heal()
        #expect(again.actions.isEmpty && again.isClean, "\(again.lines)")
        try await db.teardown(cluster)
    }
}
