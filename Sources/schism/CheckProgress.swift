import Basics
import Foundation
import Synchronization

/// Shows how far a long `schism check` of one file has come: partitions decided out of all, and
/// the time so far.
///
/// Quiet for the first second (most files are checked sooner). Then, on a terminal, a live
/// status line redrawn at most five times a second; otherwise a plain line on standard error
/// every ten seconds. Nothing with `--json`: the caller passes no progress then.
final class CheckProgress: Sendable {
    private struct State {
        var lastShown: ContinuousClock.Instant?
    }

    private let file: String
    private let start = ContinuousClock.now
    private let live = LiveLine.isTerminal
    private let state = Mutex(State())

    /// Progress of checking `file` (shown by its last path component, so that the line fits).
    init(file: String) {
        self.file = (file as NSString).lastPathComponent
    }

    /// Records that `done` of `total` partitions are decided; shows it when it is time to.
    func update(done: Int, total: Int) {
        let now = ContinuousClock.now
        let elapsed = now - start
        guard elapsed >= .seconds(1), done < total else { return }
        let interval: Duration = live ? .milliseconds(200) : .seconds(10)
        let due = state.withLock { s -> Bool in
            if let last = s.lastShown, now - last < interval { return false }
            s.lastShown = now
            return true
        }
        guard due else { return }
        let text = "checking \(file): \(done)/\(total) partitions decided, \(String(format: "%.1f", elapsed.seconds)) s"
        if live { LiveLine.show(text) } else { printError(text) }
    }

    /// Erases the live line, before the result is printed.
    func finish() {
        if live { LiveLine.clear() }
    }
}
