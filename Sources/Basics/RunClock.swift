import Synchronization

/// The time a run reads: monotonic nanoseconds since the run started, and sleeping until then.
///
/// The runner, the recorder and the fault schedule read time only through a clock, so tests
/// can drive a run with ``ManualClock`` instead of waiting for the wall clock.
public protocol RunClock: Sendable {
    /// Nanoseconds since the run started (monotonic, never negative).
    func elapsedNanoseconds() -> Int64
    /// Returns once ``elapsedNanoseconds()`` has reached `nanoseconds`; throws when cancelled.
    func sleep(untilNanoseconds nanoseconds: Int64) async throws
}

extension RunClock {
    /// Elapsed seconds.
    public var elapsedSeconds: Double { Double(elapsedNanoseconds()) / 1e9 }

    /// Sleeps for `duration` from now; throws when cancelled.
    public func sleep(for duration: Duration) async throws {
        try await sleep(untilNanoseconds: elapsedNanoseconds() &+ max(0, duration.nanoseconds))
    }
}

/// The real monotonic clock, counted from the moment it was made.
public struct SystemRunClock: RunClock {
    /// The instant that counts as 0.
    public let origin: ContinuousClock.Instant

    /// A clock that starts now (or at `origin`).
    public init(origin: ContinuousClock.Instant = .now) {
        self.origin = origin
    }

    public func elapsedNanoseconds() -> Int64 {
        max(0, (ContinuousClock.now - origin).nanoseconds)
    }

    public func sleep(untilNanoseconds nanoseconds: Int64) async throws {
        try await Task.sleep(until: origin + .nanoseconds(nanoseconds), clock: .continuous)
    }
}

/// A clock that moves only when told to: for tests of schedules and timeouts without waiting.
public final class ManualClock: RunClock {
    private struct Sleeper {
        var until: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int64 = 0
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
    }

    private let state = Mutex(State())

    /// A clock at 0.
    public init() {}

    public func elapsedNanoseconds() -> Int64 { state.withLock { $0.now } }

    /// Moves time forward by `duration` and wakes every sleeper whose time has come.
    public func advance(by duration: Duration) {
        let woken: [CheckedContinuation<Void, any Error>] = state.withLock { s in
            s.now &+= max(0, duration.nanoseconds)
            let due = s.sleepers.filter { $0.value.until <= s.now }
            for id in due.keys { s.sleepers.removeValue(forKey: id) }
            return due.values.map(\.continuation)
        }
        for c in woken { c.resume() }
    }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(untilNanoseconds nanoseconds: Int64) async throws {
        let id = state.withLock { s -> Int in
            defer { s.nextID += 1 }
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { s in
                    if s.now >= nanoseconds || Task.isCancelled { return true }
                    s.sleepers[id] = Sleeper(until: nanoseconds, continuation: c)
                    return false
                }
                if resumeNow { c.resume() }
            }
            try Task.checkCancellation()
        } onCancel: {
            let c = state.withLock { $0.sleepers.removeValue(forKey: id)?.continuation }
            c?.resume(throwing: CancellationError())
        }
    }
}
