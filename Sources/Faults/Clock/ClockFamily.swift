import Basics
import Control
import Systems

/// Clock faults: bump some nodes' clocks, or strobe them back and forth; the undo resets them.
///
/// On `clock: faketime` nodes (the local cluster) the offset goes into libfaketime's timestamp
/// file; on `clock: system` nodes (real VMs only, after ``ClockSafety``) NTP is stopped and the
/// clock set with `date -s`. Every start and stop measures every node's offset. Whether the
/// server feels it depends on ``SystemUnderTest/readsTimeThroughLibc``, and the record says so.
public struct ClockFamily: FaultFamily {
    /// Target choices (one is drawn per fault).
    public var targets: [TargetSpec]
    /// Magnitude of a bump in milliseconds; the sign is drawn too.
    public var bumpMilliseconds: ClosedRange<Int>
    /// Magnitude of a strobe's swing in milliseconds.
    public var strobeMilliseconds: ClosedRange<Int>
    /// Milliseconds between two flips of a strobe.
    public var strobePeriodMilliseconds: Int
    /// How long a strobe flips, in milliseconds (the start call lasts this long).
    public var strobeDurationMilliseconds: Int
    /// Path of libfaketime on the nodes; nil: the first of the usual Debian paths that exists.
    public var libfaketimePath: String?

    /// The family with its sizes and targets.
    public init(
        targets: [TargetSpec] = [.one, .minority, .all], bumpMilliseconds: ClosedRange<Int> = 100...5_000,
        strobeMilliseconds: ClosedRange<Int> = 100...2_000, strobePeriodMilliseconds: Int = 50,
        strobeDurationMilliseconds: Int = 1_000, libfaketimePath: String? = nil
    ) {
        self.targets = targets
        self.bumpMilliseconds = bumpMilliseconds
        self.strobeMilliseconds = strobeMilliseconds
        self.strobePeriodMilliseconds = strobePeriodMilliseconds
        self.strobeDurationMilliseconds = strobeDurationMilliseconds
        self.libfaketimePath = libfaketimePath
    }

    public var name: String { "clock" }
    public var kinds: [String] { ["clock-bump", "clock-strobe"] }
    public var colour: String { "#1f6fb2" }
    public var help: String { "jump some nodes' clocks by random milliseconds, or flip them back and forth for a while" }

    public func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<ClockPlan> {
        let picked = TargetSpec.draw(targets, from: nodes, using: &rng)
        func signed(_ range: ClosedRange<Int>) -> Int {
            let magnitude = Seeded.uniform(&rng, in: range)
            return Seeded.uniform(&rng, below: 2) == 0 ? magnitude : -magnitude
        }
        guard kind == "clock-strobe" else {
            return Planned(kind: kind, nodes: picked, details: ClockPlan(deltaMilliseconds: signed(bumpMilliseconds)))
        }
        let plan = ClockPlan(
            deltaMilliseconds: signed(strobeMilliseconds), periodMilliseconds: max(1, strobePeriodMilliseconds),
            durationMilliseconds: max(0, strobeDurationMilliseconds))
        return Planned(kind: kind, nodes: picked, details: plan)
    }

    public func undo(_ plan: Planned<ClockPlan>, in context: FaultContext) async -> FaultStep<ClockStopped> {
        let reset = await context.eachNode(plan.nodes.filter { context.node($0) != nil }) { config, remote throws(NemesisError) -> Bool in
            try await Self.resetClock(config, remote, in: context)
            return true
        }
        return FaultStep(details: ClockStopped(offsets: await measureAll(in: context)), errors: reset.errors)
    }

    public func notes(system: any SystemUnderTest, nodes: [NodeConfig]) -> [String] {
        let faketime = nodes.filter { $0.clock == .faketime }.map(\.name)
        guard !faketime.isEmpty, system.readsTimeThroughLibc == false else { return [] }
        return [
            "Clock faults on \(faketime.joined(separator: ", ")) use libfaketime, which reaches programs that read time "
                + "through libc; \(system.name) does not feel it (a Go program reads the clock through the vDSO; a program "
                + "that cannot start under libfaketime runs without it), so the clock "
                + "faults did NOT reach it. The offsets measured with `date` under libfaketime are recorded with each "
                + "clock fault to show the mechanism worked; the run says nothing about \(system.name) under clock skew."
        ]
    }

    /// What this controller changed on clocks, for exact undo and heal.
    struct State: Sendable {
        /// The faketime offset written to each node, in milliseconds.
        var faketimeOffsets: [String: Int] = [:]
        /// NTP services stopped per node, to start again.
        var ntpStopped: [String: [String]] = [:]
        /// Nodes whose real clock was moved.
        var systemClockShifted: Set<String> = []
    }
}
