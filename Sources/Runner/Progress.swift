import Basics
import Foundation
import Faults
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Progress on the terminal while a run goes: elapsed and remaining time, ops/s, outcome counts, active faults.
///
/// On a terminal a line every 2 s; otherwise (CI logs) a plain line every 10 s.
final class Progress: Sendable {
    private let recorder: Recorder
    private let nemesis: NemesisController
    private let log: RunLog
    private let clock: any RunClock
    private let limitSeconds: Double
    private let everySeconds: Double
    private let last = Mutex((at: 0.0, completed: 0))

    init(recorder: Recorder, nemesis: NemesisController, log: RunLog, clock: any RunClock, limitSeconds: Double) {
        self.recorder = recorder
        self.nemesis = nemesis
        self.log = log
        self.clock = clock
        self.limitSeconds = limitSeconds
        everySeconds = isatty(1) != 0 ? 2 : 10
    }

    /// Prints a line if one is due (or always, with `final`).
    func tick(final: Bool = false) {
        let now = clock.elapsedSeconds
        let counts = recorder.counts
        let ok = counts[.ok, default: 0], fail = counts[.fail, default: 0], info = counts[.info, default: 0]
        let completed = ok + fail + info
        let line: String? = last.withLock { l in
            guard final || now - l.at >= everySeconds else { return nil }
            let rate = now > l.at ? Double(completed - l.completed) / (now - l.at) : 0
            l = (now, completed)
            let faults = nemesis.activeFaults.map { "\($0.kind)(\($0.nodes.joined(separator: ",")))" }
            let remaining = max(0, limitSeconds - now)
            return String(format: "[%6.1f s, %5.1f s left] %d ops: %d ok, %d fail, %d info; %.0f ops/s; faults: %@",
                          now, remaining, completed, ok, fail, info, rate, faults.isEmpty ? "none" : faults.joined(separator: " "))
        }
        if let line { log.info(line) }
    }
}
