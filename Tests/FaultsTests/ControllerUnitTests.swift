import Basics
import Control
import ControlTestKit
import Systems
import SyntheticHistories
import Synchronization
import Testing

@testable import Faults

/// The controller against fake nodes: refusals, best-effort heal, the libfaketime caveat.
@Suite struct ControllerUnitTests {
    static func cluster(_ remotes: [FakeRemote], clock: ClockStrategy = .faketime) -> TestCluster {
        let nodes = remotes.enumerated().map { NodeConfig(name: $1.node, host: "192.0.2.\($0 + 11)", clock: clock) }
        return TestCluster(nodes: nodes, remotes: RemoteSet(remotes: remotes))
    }

    /// Answers `date +%s.%N` with the controller's own time, everything else with exit 0.
    static func clockAnswering(_ command: RemoteCommand) -> FakeRemote.Reply {
        guard command.script.contains("date +%s.%N") else { return .ok() }
        let ns = ClockScripts.realtimeNanoseconds()
        return .ok("\(ns / 1_000_000_000).\(ns % 1_000_000_000)\n")
    }

    @Test func killAndPauseNeedTheCapabilities() async {
        let n1 = FakeRemote(node: "n1")
        let nemesis = NemesisController(cluster: Self.cluster([n1]), system: nil, registry: TestRegistry.builtIn)
        await #expect(throws: NemesisError.self) { _ = try await nemesis.start(FaultPlan(kind: "kill", nodes: ["n1"])) }
        await #expect(throws: NemesisError.self) { _ = try await nemesis.start(FaultPlan(kind: "pause", nodes: ["n1"])) }
        await #expect(throws: NemesisError.self) {
            _ = try await nemesis.start(FaultPlan(kind: "packet-loss", nodes: ["n9"], details: PacketLossPlan(probability: 0.1)))
        }
        await #expect(throws: NemesisError.self) { _ = try await nemesis.start("no-such-fault", seed: 1) }
        #expect(n1.commands.isEmpty, "nothing ran")
    }

    @Test func realClockOnLoopbackIsRefusedBeforeAnythingRuns() async {
        let vm = FakeRemote(node: "vm")
        let node = NodeConfig(name: "vm", host: "127.0.0.1", clock: .system)
        let nemesis = NemesisController(
            cluster: TestCluster(nodes: [node], remotes: RemoteSet(remotes: [vm])), system: nil, registry: TestRegistry.builtIn)
        await #expect {
            _ = try await nemesis.start(FaultPlan(kind: "clock-bump", nodes: ["vm"], details: ClockPlan(deltaMilliseconds: 100)))
        } throws: { error in
            "\(error)".contains("refusing to set the real clock")
        }
        #expect(vm.commands.isEmpty)
    }

    @Test func faketimeClockFaultSaysItDoesNotReachEtcd() async throws {
        let n1 = FakeRemote(node: "n1", handler: Self.clockAnswering)
        let n2 = FakeRemote(node: "n2", handler: Self.clockAnswering)
        let etcdLike = DummyDatabase(name: "etcd", readsTimeThroughLibc: false)
        let etcd = NemesisController(cluster: Self.cluster([n1, n2]), system: etcdLike, registry: TestRegistry.builtIn)
        let fault = try await etcd.start(FaultPlan(kind: "clock-bump", nodes: ["n1"], details: ClockPlan(deltaMilliseconds: 1_500)))
        #expect(fault.event.details["applicable"] == false)
        #expect(fault.event.details["note"]?.stringValue?.contains("not applicable to etcd on faketime nodes") == true)
        #expect(n1.scripts.contains { $0.contains("'+1.500'") || $0.contains("+1.500 >") })
        #expect(!n2.scripts.contains { $0.contains("faketime.schism-tmp") }, "only the target's file is written")
        if case .object(let offsets)? = fault.event.details["offsets"] { #expect(offsets.keys.sorted() == ["n1", "n2"]) }
        // The system says whether it reads time through libc, whatever its name.
        let libcEtcd = DummyDatabase(name: "etcd", readsTimeThroughLibc: true)
        let reached = NemesisController(cluster: Self.cluster([n1, n2]), system: libcEtcd, registry: TestRegistry.builtIn)
        let applicable = try await reached.start(FaultPlan(kind: "clock-bump", nodes: ["n1"], details: ClockPlan(deltaMilliseconds: 100)))
        #expect(applicable.event.details["applicable"] == true)
        #expect(applicable.event.details["note"] == nil)
        #expect(TestRegistry.builtIn.notes(kinds: ["clock-bump"], system: etcdLike, nodes: Self.cluster([n1]).nodes).count == 1)
        #expect(TestRegistry.builtIn.notes(kinds: ["clock-bump"], system: libcEtcd, nodes: Self.cluster([n1]).nodes).isEmpty)
    }

    @Test func healIsBestEffortAndReportsWhatFailed() async {
        let n1 = FakeRemote(node: "n1") { command in
            command.script.contains("-X SCHISM") ? .ok("removed chain SCHISM with 2 rule(s)\n") : .ok()
        }
        let n2 = FakeRemote(node: "n2") { _ in .fail(.unreachable, message: "no route to host") }
        let nemesis = NemesisController(cluster: Self.cluster([n1, n2]), system: nil, registry: TestRegistry.builtIn)
        var rng = SplitMix(seed: 3)
        let fault = try? await nemesis.start("partition-halves", using: &rng)
        #expect(fault?.event.result == "partial")
        let report = await nemesis.healAll()
        #expect(!report.isClean)
        #expect(report.failures.contains { $0.node == "n2" && $0.message.contains("no route to host") })
        #expect(report.actions.contains { $0.node == "n1" && $0.what.contains("removed chain SCHISM") })
        #expect(nemesis.activeFaults.isEmpty)
        #expect(report.lines.contains { $0.hasPrefix("FAILED n2") })
    }

    @Test func partitionRulesNameOnlyPeerHosts() async throws {
        let remotes = ["n1", "n2", "n3"].map { FakeRemote(node: $0) }
        let nodes = remotes.enumerated().map { NodeConfig(name: $1.node, host: "192.0.2.\($0 + 11)", clock: .faketime) }
        let nemesis = NemesisController(
            cluster: TestCluster(nodes: nodes, remotes: RemoteSet(remotes: remotes)), system: nil, registry: TestRegistry.builtIn)
        let fault = try await nemesis.start(
            FaultPlan(
                kind: "partition-one", nodes: ["n1", "n2", "n3"], details: PartitionPlan(grudge: Grudge.complete([["n1"], ["n2", "n3"]]))))
        let add = try #require(remotes[0].scripts.first { $0.contains("-A SCHISM") })
        #expect(add.contains("-A SCHISM -s 192.0.2.12 -j DROP") && add.contains("-A SCHISM -s 192.0.2.13 -j DROP"))
        #expect(!add.contains("192.0.2.11 -j DROP"))
        _ = await nemesis.stop(fault)
        let delete = try #require(remotes[1].scripts.last)
        #expect(delete.contains("-D SCHISM -s 192.0.2.11 -j DROP"))
        #expect(!delete.contains("-F INPUT") && !delete.contains("-F\n"))
    }

    /// A switch a fake node's handler reads.
    final class Switch: Sendable {
        let on = Mutex(true)
    }

    @Test func healAllRestartsWhatAFailedStopLeftOnceAndRecordsIt() async throws {
        let failStarts = Switch()
        let n1 = FakeRemote(node: "n1") { command in
            command.script.contains("setsid sleep") && failStarts.on.withLock { $0 } ? .fail(.unreachable, message: "start failed") : .ok()
        }
        let nemesis = NemesisController(cluster: Self.cluster([n1]), system: DummyDatabase(), registry: TestRegistry.builtIn)
        let kill = try await nemesis.start(FaultPlan(kind: "kill", nodes: ["n1"]))
        #expect(kill.event.errors.isEmpty)
        let stop = await nemesis.stop(kill)
        #expect(stop.errors.map(\.node) == ["n1"], "the restart failed")
        failStarts.on.withLock { $0 = false }
        let report = await nemesis.healAll()
        #expect(report.isClean, "\(report.lines)")
        #expect(report.actions.contains { $0.node == "n1" && $0.what == "started the server again" })
        #expect(report.restored == ["kill": ["n1"]])
        let restarts = n1.scripts.filter { $0.contains("setsid sleep") }.count
        #expect(restarts == 2)
        // The heal event says n1 was restored, so a second heal does not start it again.
        let again = await nemesis.healAll()
        #expect(again.isClean && again.restored.isEmpty)
        #expect(n1.scripts.filter { $0.contains("setsid sleep") }.count == restarts)
    }

    @Test func thisMachinesAddressesAreFoundAndResolved() {
        #expect(ClockSafety.localAddresses().contains("127.0.0.1"))
        #expect(ClockSafety.resolve("127.0.0.1") == ["127.0.0.1"])
        let here = NodeConfig(name: "vm", host: "127.0.0.2", clock: .system)
        #expect(ClockSafety.staticRefusal(here, among: [here]) != nil, "loopback is refused")
    }
}
