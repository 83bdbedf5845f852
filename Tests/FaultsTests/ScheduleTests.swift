import Basics
import SyntheticHistories
import Testing

@testable import Faults

/// Pure tests of the fault schedule and fault plans.
@Suite struct ScheduleTests {
    @Test func alternatesStartAndStopWithinTheTest() {
        let s = NemesisSchedule(seed: 7, kinds: [.partitionRandomHalves, .kill, .clockBump], intervalSeconds: 5, durationSeconds: 60)
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
        #expect(Set(s.actions.map(\.kind)).isSubset(of: [.partitionRandomHalves, .kill, .clockBump]))
    }

    @Test func sameSeedSameScheduleOtherSeedOther() {
        let a = NemesisSchedule(seed: 99, kinds: FaultKind.allCases, intervalSeconds: 1, durationSeconds: 100, jitter: 0.5)
        let b = NemesisSchedule(seed: 99, kinds: FaultKind.allCases, intervalSeconds: 1, durationSeconds: 100, jitter: 0.5)
        let c = NemesisSchedule(seed: 100, kinds: FaultKind.allCases, intervalSeconds: 1, durationSeconds: 100, jitter: 0.5)
        #expect(a == b)
        #expect(a.actions != c.actions)
    }

    @Test func jitterStaysInsideItsBand() {
        let s = NemesisSchedule(seed: 1, kinds: [.pause], intervalSeconds: 2, durationSeconds: 200, jitter: 0.25)
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
        #expect(NemesisSchedule(seed: 1, kinds: [.kill], intervalSeconds: 0, durationSeconds: 10).actions.isEmpty)
        #expect(NemesisSchedule(seed: 1, kinds: [.kill], intervalSeconds: 6, durationSeconds: 10).actions.isEmpty)
        let bounded = NemesisSchedule(seed: 1, kinds: [.kill], intervalSeconds: 1e-9, durationSeconds: 1e6)
        #expect(bounded.actions.count == 2 * NemesisSchedule.maxFaults)
    }

    @Test func plansAreReproducibleAndSized() {
        let nodes = ["n1", "n2", "n3", "n4", "n5"]
        var options = NemesisOptions()
        options.killTargets = [.majority]
        options.clockBumpMilliseconds = 200...300
        for kind in FaultKind.allCases {
            var a = SplitMix(seed: 11)
            var b = SplitMix(seed: 11)
            #expect(FaultPlan.make(kind, nodes: nodes, options: options, using: &a)
                == FaultPlan.make(kind, nodes: nodes, options: options, using: &b))
        }
        var rng = SplitMix(seed: 2)
        #expect(FaultPlan.make(.kill, nodes: nodes, options: options, using: &rng).nodes.count == 3)
        let bump = FaultPlan.make(.clockBump, nodes: nodes, options: options, using: &rng)
        #expect((200...300).contains(abs(bump.clockDeltaMilliseconds ?? 0)))
        let loss = FaultPlan.make(.packetLoss, nodes: nodes, options: options, using: &rng)
        #expect(options.packetLossProbabilities.contains(loss.lossProbability ?? -1))
    }

    @Test func targetSizes() {
        #expect(TargetSpec.minority.size(of: 5) == 2)
        #expect(TargetSpec.majority.size(of: 5) == 3)
        #expect(TargetSpec.minority.size(of: 3) == 1)
        #expect(TargetSpec.majority.size(of: 4) == 3)
        #expect(TargetSpec.all.size(of: 3) == 3)
        #expect(TargetSpec.one.size(of: 0) == 0)
    }

    @Test func historyNamesFollowTheFamily() {
        #expect(FaultKind.partitionBridge.family.startF == "start-partition")
        #expect(FaultKind.clockStrobe.family.stopF == "stop-clock")
        #expect(FaultKind.packetLoss.family.startF == "start-packet-loss")
        #expect(FaultKind(name: "partition") == .partitionRandomHalves)
    }
}
