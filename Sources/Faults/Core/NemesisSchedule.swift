import Basics

/// The timed sequence of fault starts and stops for one test, computed from a seed.
///
/// Jepsen-style alternation: wait one interval, start a fault, wait one interval, stop it,
/// and so on. Each start draws its kind name from the enabled kinds (resolve workload names
/// with ``FaultRegistry/resolve(_:)`` first) and carries its own seed, so the runner replays the
/// exact targets with `NemesisController.start(_:seed:)`. A fault whose
/// stop would fall after the end of the test is not started. The schedule is a pure value:
/// the same arguments give the same actions on every machine.
public struct NemesisSchedule: Sendable, Hashable {
    /// One thing the runner does at a moment of the test.
    public struct Action: Sendable, Hashable {
        /// Whether the action starts or stops a fault.
        public enum Phase: String, Sendable, Hashable, Codable {
            case start, stop
        }
        /// When to act, in nanoseconds since the test started.
        public var atNanoseconds: Int64
        /// Start or stop.
        public var phase: Phase
        /// The fault's specific kind, e.g. `partition-one`.
        public var kind: String
        /// The seed for the start's random choices (the stop repeats its start's seed).
        public var seed: UInt64
        /// Pairs a stop with its start: 0 for the first fault, 1 for the next...
        public var faultNumber: Int
    }

    /// The actions, in time order.
    public let actions: [Action]
    /// The seed the schedule was made from.
    public let seed: UInt64

    /// Most faults one schedule holds (a bound on the loop, whatever the arguments).
    public static let maxFaults = 10_000

    /// Builds the schedule.
    ///
    /// - Parameters:
    ///   - seed: the test's seed (printed by the runner so that a run can be reproduced).
    ///   - kinds: the enabled kind names; duplicates are ignored, the order matters for the seed.
    ///   - intervalSeconds: the time between a start and its stop, and between a stop and the next start.
    ///   - durationSeconds: the length of the test; every stop falls at or before it.
    ///   - jitter: 0...1; each gap is drawn uniformly from interval × (1 ± jitter).
    public init(seed: UInt64, kinds: [String], intervalSeconds: Double, durationSeconds: Double, jitter: Double = 0) {
        self.seed = seed
        var seen: Set<String> = []
        let unique = kinds.filter { seen.insert($0).inserted }
        guard !unique.isEmpty, intervalSeconds > 0, durationSeconds > 0, intervalSeconds.isFinite,
            durationSeconds.isFinite
        else {
            actions = []
            return
        }
        let spread = min(max(jitter, 0), 1)
        let end = Self.nanoseconds(durationSeconds)
        var rng = SplitMix(seed: seed)
        func gap() -> Int64 {
            let u = Double(rng.next() >> 11) / Double(UInt64(1) << 53)
            return max(1, Self.nanoseconds(intervalSeconds * (1 + spread * (2 * u - 1))))
        }
        var out: [Action] = []
        var now: Int64 = 0
        for number in 0..<Self.maxFaults {
            let kindIndex = Seeded.uniform(&rng, below: unique.count)
            let actionSeed = rng.next()
            let startAt = now + gap()
            let stopAt = startAt + gap()
            guard stopAt <= end else { break }
            let kind = unique[kindIndex]
            out.append(Action(atNanoseconds: startAt, phase: .start, kind: kind, seed: actionSeed, faultNumber: number))
            out.append(Action(atNanoseconds: stopAt, phase: .stop, kind: kind, seed: actionSeed, faultNumber: number))
            now = stopAt
        }
        actions = out
    }

    /// The starts only (one per fault).
    public var starts: [Action] { actions.filter { $0.phase == .start } }

    /// Nanoseconds in `seconds`, clamped to what an Int64 holds.
    static func nanoseconds(_ seconds: Double) -> Int64 {
        let ns = seconds * 1e9
        guard ns.isFinite, ns < 9e18 else { return Int64.max / 2 }
        return Int64(max(0, ns))
    }
}
