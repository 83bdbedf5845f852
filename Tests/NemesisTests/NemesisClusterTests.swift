import Control
import DB
import Foundation
import Testing

@testable import Nemesis

/// Faults on a real 3-node local cluster: traffic really blocked, processes really stopped,
/// clocks really shifted for libc programs, and everything undone by heal.
@Suite(.serialized, .enabled(if: isRoot, needsRootReason), .nemesisCluster)
struct NemesisClusterTests {
    @Test func partitionBlocksPeersButNeverTheController() async throws {
        let cluster = try NemesisClusterFixture.testCluster()
        defer { Task { await cluster.remotes.closeAll() } }
        for node in ["n1", "n2", "n3"] { _ = try await Probe.sh(cluster, node, Probe.markerScript) }
        let nemesis = NemesisController(cluster: cluster, database: nil)
        #expect(try await Probe.connects(cluster, from: "n1", to: "n2"))

        let plan = FaultPlan(kind: .partitionOne, nodes: ["n1", "n2", "n3"], grudge: Grudge.complete([["n1"], ["n2", "n3"]]))
        let fault = try await nemesis.start(plan)
        #expect(fault.event.errors.isEmpty, "\(fault.event.errors)")
        #expect(try await !Probe.connects(cluster, from: "n1", to: "n2"))
        #expect(try await !Probe.connects(cluster, from: "n3", to: "n1"))
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
        let nemesis = NemesisController(cluster: cluster, database: nil)
        let fault = try await nemesis.start(FaultPlan(kind: .packetLoss, nodes: ["n2", "n3"], lossProbability: 0.5))
        #expect(fault.event.errors.isEmpty, "\(fault.event.errors)")
        #expect(fault.event.details["netem"] == "unavailable")
        let rules = try await Probe.schismChain(cluster, "n2") ?? ""
        #expect(rules.contains("-s 10.77.194.11/32 -m statistic --mode random --probability 0.5"))
        #expect(rules.contains("-s 10.77.194.13/32"))
        #expect(try await Probe.schismChain(cluster, "n1") == nil)
        // A partition on top; heal undoes both, and only what Schism owns.
        var rng = SeededGenerator(seed: 1)
        _ = try await nemesis.start(.partitionRandomHalves, using: &rng)
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
        let nemesis = NemesisController(cluster: cluster, database: db)
        let pause = try await nemesis.start(FaultPlan(kind: .pause, nodes: ["n1", "n2"]))
        #expect(pause.event.errors.isEmpty, "\(pause.event.errors)")
        #expect(try await Probe.dummyState(cluster, "n1") == "T")
        #expect(try await Probe.dummyState(cluster, "n2") == "T")
        #expect(try await Probe.dummyState(cluster, "n3") == "S")
        let kill = try await nemesis.start(FaultPlan(kind: .kill, nodes: ["n3"]))
        #expect(kill.event.errors.isEmpty, "\(kill.event.errors)")
        #expect(try await Probe.dummyState(cluster, "n3") == nil)
        let stopped = await nemesis.stop(pause)
        #expect(stopped.errors.isEmpty)
        #expect(try await Probe.dummyState(cluster, "n1") == "S")
        _ = try await nemesis.start(FaultPlan(kind: .pause, nodes: ["n2"]))
        let report = await nemesis.healAll()
        #expect(report.isClean, "\(report.lines)")
        for node in ["n1", "n2", "n3"] { #expect(try await Probe.dummyState(cluster, node) == "S", "\(node) running") }
        try await db.teardown(cluster)
    }

    @Test func clockBumpShowsInLibcTimeAndIsReset() async throws {
        let cluster = try NemesisClusterFixture.testCluster()
        defer { Task { await cluster.remotes.closeAll() } }
        let nemesis = NemesisController(cluster: cluster, database: DummyDatabase())
        let n2 = try #require(cluster.nodes.first { $0.name == "n2" })
        let remote2 = try cluster.remote(n2)

        let bump = try await nemesis.start(FaultPlan(kind: .clockBump, nodes: ["n2"], clockDeltaMilliseconds: 2_500))
        #expect(bump.event.errors.isEmpty, "\(bump.event.errors)")
        #expect(bump.event.details["applicable"] == true)
        let measured = try await nemesis.measureOffset(n2, remote2)
        print("nemesis: bump +2500 ms on n2 measured \(measured.offsetMilliseconds) ms ± \(measured.uncertaintyMilliseconds) ms")
        #expect(abs(measured.offsetMilliseconds - 2_500) < 100 + measured.uncertaintyMilliseconds, "\(measured)")
        if case .object(let offsets)? = bump.event.details["offsets"], case .object(let o2)? = offsets["n2"],
            case .object(let o1)? = offsets["n1"], let ms2 = o2["offset_ms"], let ms1 = o1["offset_ms"],
            case .double(let v2) = ms2, case .double(let v1) = ms1
        {
            #expect(abs(v2 - 2_500) < 100)
            #expect(abs(v1) < 100)
        } else {
            Issue.record("offsets missing from \(bump.event.details)")
        }
        let file = try await Probe.sh(cluster, "n2", "cat \(ClockScripts.faketimePath(n2))").stdoutText
        #expect(file == "+2.500\n")
        _ = await nemesis.stop(bump)
        #expect(abs(try await nemesis.measureOffset(n2, remote2).offsetMilliseconds) < 100)

        // A short strobe: the clock is off while it runs and back afterwards.
        let strobe = try await nemesis.start(
            FaultPlan(
                kind: .clockStrobe, nodes: ["n1"], clockDeltaMilliseconds: -1_000, strobePeriodMilliseconds: 50,
                strobeDurationMilliseconds: 300))
        #expect(strobe.event.errors.isEmpty, "\(strobe.event.errors)")
        #expect(strobe.event.details["flips"] == 6)
        let n1 = try #require(cluster.nodes.first { $0.name == "n1" })
        #expect(abs(try await nemesis.measureOffset(n1, try cluster.remote(n1)).offsetMilliseconds) < 100)
        _ = await nemesis.stop(strobe)

        // Go programs are not reached by libfaketime: the record says so.
        let etcdLike = NemesisController(cluster: cluster, database: DummyDatabase(name: "etcd"))
        let note = try await etcdLike.start(FaultPlan(kind: .clockBump, nodes: ["n3"], clockDeltaMilliseconds: 500))
        #expect(note.event.details["applicable"] == false)
        #expect(note.event.details["note"]?.stringValue?.hasPrefix("not applicable to etcd on faketime nodes") == true)
        _ = await etcdLike.healAll()
        let n3 = try #require(cluster.nodes.first { $0.name == "n3" })
        #expect(try await Probe.sh(cluster, "n3", "cat \(ClockScripts.faketimePath(n3))").stdoutText == "+0\n")

        // The same nodes declared `system` must be refused before anything runs.
        let systemNodes = cluster.nodes.map { node -> NodeConfig in
            var copy = node
            copy.clock = .system
            return copy
        }
        let unsafe = NemesisController(cluster: TestCluster(nodes: systemNodes, remotes: cluster.remotes), database: nil)
        await #expect(throws: NemesisError.self) {
            _ = try await unsafe.start(FaultPlan(kind: .clockBump, nodes: ["n1"], clockDeltaMilliseconds: 100))
        }
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
            let crashed = NemesisController(cluster: cluster, database: db, journal: journal)
            var rng = SeededGenerator(seed: 77)
            _ = try await crashed.start(.partitionMajoritiesRing, using: &rng)
            _ = try await crashed.start(FaultPlan(kind: .packetLoss, nodes: ["n1"], lossProbability: 0.3))
            _ = try await crashed.start(FaultPlan(kind: .pause, nodes: ["n1", "n3"]))
            _ = try await crashed.start(FaultPlan(kind: .clockBump, nodes: ["n2"], clockDeltaMilliseconds: -3_000))
        }
        #expect(try await Probe.dummyState(cluster, "n3") == "T")
        #expect(try await Probe.schismChain(cluster, "n1") != nil)
        let events = try FaultJournal.read(path: path)
        #expect(events.map(\.phase) == [.start, .start, .start, .start])

        let report = await Healer(nodes: cluster.nodes, remotes: cluster.remotes)
            .heal(leftovers: JournalLeftovers(events: events))
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
        let again = await Healer(nodes: cluster.nodes, remotes: cluster.remotes).heal()
        #expect(again.actions.isEmpty && again.isClean, "\(again.lines)")
        try await db.teardown(cluster)
    }
}
