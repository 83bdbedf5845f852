import Basics
import Foundation
import Faults
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Progress while a run goes: elapsed and remaining time, ops/s, outcome counts, active faults.
///
/// On a terminal, a live one-line bar redrawn every second (``LiveLine``), with a plain line in
/// `schism.log` every 10 s; otherwise (CI logs) a plain line every 10 s, to the log and the output.
final class Progress: Sendable {
    private let recorder: Recorder
    private let nemesis: NemesisController
    private let log: RunLog
    private let clock: any RunClock
    private let limitSeconds: Double
    private let terminal: Bool
    private let last = Mutex((at: 0.0, completed: 0, logged: 0.0))

    /// Seconds between plain progress lines.
    static let lineEverySeconds = 10.0

    init(recorder: Recorder, nemesis: NemesisController, log: RunLog, clock: any RunClock, limitSeconds: Double, terminal: Bool = LiveLine.isTerminal) {
        self.recorder = recorder
        self.nemesis = nemesis
        self.log = log
        self.clock = clock
        self.limitSeconds = limitSeconds
        self.terminal = terminal
    }

    /// Redraws the bar (on a terminal) and prints a plain line if one is due (or always, with `final`).
    func tick(final: Bool = false) {
        let now = clock.elapsedSeconds
        let counts = recorder.counts
        let ok = counts[.ok, default: 0], fail = counts[.fail, default: 0], info = counts[.info, default: 0]
        let completed = ok + fail + info
        let faults = nemesis.activeFaults.map { "\($0.kind)(\($0.nodes.joined(separator: ",")))" }
        let (rate, lineDue) = last.withLock { l -> (Double, Bool) in
            let rate = now > l.at ? Double(completed - l.completed) / (now - l.at) : 0
            l.at = now
            l.completed = completed
            let due = final || now - l.logged >= Self.lineEverySeconds
            if due { l.logged = now }
            return (rate, due)
        }
        let status = Status(elapsed: now, limit: limitSeconds, ok: ok, fail: fail, info: info, rate: rate, faults: faults)
        if terminal, !final { LiveLine.show(status.bar) }
        if lineDue {
            if terminal, !final { log.debug(status.line) } else { log.info(status.line) }
        }
    }

    /// A moment of the run, as a bar for the terminal and a plain line for logs.
    struct Status {
        var elapsed: Double
        var limit: Double
        var ok: Int
        var fail: Int
        var info: Int
        var rate: Double
        var faults: [String]

        var remaining: Double { max(0, limit - elapsed) }
        var faultText: String { faults.isEmpty ? "none" : faults.joined(separator: " ") }

        /// `[######------]  12 s, 48 s left | 180 ops/s | 2150 ok, 3 fail, 1 info | faults: partition(n1,n2)`.
        var bar: String {
            let width = 20
            let done = limit > 0 ? min(width, Int((elapsed / limit * Double(width)).rounded(.down))) : 0
            let fill = String(repeating: "#", count: max(0, done)) + String(repeating: "-", count: width - max(0, done))
            return String(format: "[%@] %4.0f s, %3.0f s left | %.0f ops/s | %d ok, %d fail, %d info | faults: %@",
                          fill, elapsed, remaining, rate, ok, fail, info, faultText)
        }

        /// The plain line for logs and non-terminals.
        var line: String {
            String(format: "[%6.1f s, %5.1f s left] %d ops: %d ok, %d fail, %d info; %.0f ops/s; faults: %@",
                   elapsed, remaining, ok + fail + info, ok, fail, info, rate, faultText)
        }
    }
}
