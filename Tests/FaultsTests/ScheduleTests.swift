import Basics
import SyntheticHistories
import Testing

@testable import Faults

/// Pure tests of the fault schedule and fault plans.
@Suite struct ScheduleTests {
    @Test func alternatesStartAndStopWithinTheTest() {
        let s = NemesisSchedule(seed: 7, kinds: ["partition-random-halves", "kill", "clock-bump"], intervalSeconds: 5, durationSeconds: 60)
        #expect(s.actions.count == 12)
        for (i, action) in s.actions.enumerated() {
            #expect(action.phase == (i % 2 == 0 ? .start : .stop))
            #expect(action.faultNumber == i / 2)
            #expect(action.atNanoseconds == Int64(i + 1) * 5_000_000_000)
            if i % 2 == 1 {
                #expect(action.kind == s.actions[i - 1].kind)
                #expect(action.seed == s.actions[i - 1].seed)
            }
        }
        #expect(s.actions.allSatisfy { $0.atNanoseconds <= 60_000_000_000 })
        #expect(Set(s.actions.map(\.kind)).isSubset(of: ["partition-random-halves", "kill", "clock-bump"]))
    }

    @Test func sameSeedSameScheduleOtherSeedOther() {
        let kinds = TestRegistry.builtIn.kindNames
        let a = NemesisSchedule(seed: 99, kinds: kinds, intervalSeconds: 1, durationSeconds: 100, jitter: 0.5)
        let b = NemesisSchedule(seed: 99, kinds: kinds, intervalSeconds: 1, durationSeconds: 100, jitter: 0.5)
        let c = NemesisSchedule(seed: 100, kinds: kinds, intervalSeconds: 1, durationSeconds: 100, jitter: 0.5)
        #expect(a == b)
        #expect(a.actions != c.actions)
    }

    @Test func jitterStaysInsideItsBand() {
        let s = NemesisSchedule(seed: 1, kinds: ["pause"], intervalSeconds: 2, durationSeconds: 200, jitter: 0.25)
        var previous: Int64 = 0
        for action in s.actions {
            let gap = action.atNanoseconds - previous
            #expect(gap >= 1_500_000_000 && gap <= 2_500_000_000)
            previous = action.atNanoseconds
        }
        #expect(s.actions.last.map { $0.atNanoseconds <= 200_000_000_000 } == true)
    }

    @Test func degenerateInputsGiveNoActions() {
        #expect(NemesisSchedule(seed: 1, kinds: [], intervalSeconds: 1, durationSeconds: 10).actions.isEmpty)
        #expect(NemesisSchedule(seed: 1, kinds: ["kill"], intervalSeconds: 0, durationSeconds: 10).actions.isEmpty)
        #expect(NemesisSchedule(seed: 1, kinds: ["kill"], intervalSeconds: 6, durationSeconds: 10).actions.isEmpty)
        let bounded = NemesisSchedule(seed: 1, kinds: ["kill"], intervalSeconds: 1e-9, durationSeconds: 1e6)
        #expect(bounded.actions.count == 2 * NemesisSchedule.maxFaults)
    }

    @Test func plansAreReproducibleAndSized() throws {
        let nodes = ["n1", "n2", "n3", "n4", "n5"]
        let kill = KillFamily(targets: [.majority])
        let clock = ClockFamily(bumpMilliseconds: 200...300)
        let loss = PacketLossFamily()
        let registry = FaultRegistry([PartitionFamily(), kill, PauseFamily(), clock, loss])
        // Every family's plan is pure: the same seed gives the same plan, kind by kind.
        for kind in registry.kindNames {
            let family = try #require(registry.family(ofKind: kind))
            var a = SplitMix(seed: 11)
            var b = SplitMix(seed: 11)
            let first = family.plainPlan(kind, nodes: nodes, using: &a)
            #expect(first == family.plainPlan(kind, nodes: nodes, using: &b), "\(kind)")
            #expect(first.kind == kind)
            #expect(Set(first.nodes).isSubset(of: Set(nodes)))
        }
        var rng = SplitMix(seed: 2)
        #expect(kill.plan("kill", nodes: nodes, using: &rng).nodes.count == 3)
        let bump = clock.plan("clock-bump", nodes: nodes, using: &rng)
        #expect((200...300).contains(abs(bump.details.deltaMilliseconds)))
        #expect(bump.details.periodMilliseconds == nil)
        let strobe = clock.plan("clock-strobe", nodes: nodes, using: &rng)
        #expect(strobe.details.periodMilliseconds == 50 && strobe.details.durationMilliseconds == 1_000)
        let dropped = loss.plan("packet-loss", nodes: nodes, using: &rng)
        #expect(loss.probabilities.contains(dropped.details.probability))
        let ring = PartitionFamily().plan("partition-majorities-ring", nodes: nodes, using: &rng)
        #expect(ring.nodes == nodes.filter { !ring.details.grudge.dropped(by: $0).isEmpty })
    }

    @Test func typedDetailsRoundTripThroughJSON() throws {
        let clock = ClockPlan(deltaMilliseconds: -1_200, periodMilliseconds: 50, durationMilliseconds: 300)
        #expect(try ClockPlan(json: clock.json) == clock)
        #expect(clock.json["delta_ms"] == -1_200)
        let partition = PartitionPlan(grudge: Grudge.halves(["n1", "n2", "n3"]))
        #expect(try PartitionPlan(json: partition.json) == partition)
        #expect(try PacketLossPlan(json: ["probability": 0.3]).probability == 0.3)
        #expect(throws: NemesisError.self) { try PacketLossPlan(json: [:]) }
        #expect(throws: NemesisError.self) { try ClockPlan(json: ["delta_ms": "soon"]) }
    }

    @Test func targetSizes() {
        #expect(TargetSpec.minority.size(of: 5) == 2)
        #expect(TargetSpec.majority.size(of: 5) == 3)
        #expect(TargetSpec.minority.size(of: 3) == 1)
        #expect(TargetSpec.majority.size(of: 4) == 3)
        #expect(TargetSpec.all.size(of: 3) == 3)
        #expect(TargetSpec.one.size(of: 0) == 0)
    }

    @Test func historyNamesFollowTheFamily() throws {
        let registry = TestRegistry.builtIn
        #expect(registry.family(ofKind: "partition-bridge")?.startF == "start-partition")
        #expect(registry.family(ofKind: "clock-strobe")?.stopF == "stop-clock")
        #expect(registry.family(ofKind: "packet-loss")?.startF == "start-packet-loss")
        #expect(registry.familyName(ofKind: "partition-one") == "partition")
        #expect(try registry.resolve(["partition"]).contains("partition-random-halves"))
    }
}
