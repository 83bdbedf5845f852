import Control
import Histories

extension NemesisController {
    /// Undoes every active fault, then cleans everything Schism owns on every node.
    ///
    /// Best effort: stops each active fault (newest first), restarts servers still killed
    /// and resumes ones still paused, then runs the unconditional ``Healer`` cleanup
    /// (SCHISM chain, stopped pidfile processes, faketime files, NTP and real clocks this
    /// controller changed). Failures are reported, never thrown. Journals a `heal` event.
    /// Call it at the end of a test, after an error, and on SIGINT — from a task that is
    /// not cancelled, since cancellation would cut its commands short.
    public func healAll() async -> HealReport {
        var report = HealReport()
        for fault in activeFaults.reversed() {
            let event = await stop(fault)
            report.stopped.append(event)
            report.failures += event.errors
        }
        let (killed, paused) = state.withLock { ($0.killed.sorted(), $0.paused.sorted()) }
        if !killed.isEmpty {
            let restart = await restore(.kill, nodes: killed)
            report.actions += restart.applied.map { HealReport.Action(node: $0, what: "started the server again") }
            report.failures += restart.errors
        }
        if !paused.isEmpty {
            let resume = await restore(.pause, nodes: paused)
            report.actions += resume.applied.map { HealReport.Action(node: $0, what: "resumed the server") }
            report.failures += resume.errors
        }
        let leftovers = state.withLock { s -> JournalLeftovers in
            var l = JournalLeftovers()
            l.ntpStopped = s.ntpStopped
            l.systemClockShifted = s.systemClockShifted
            return l
        }
        let cleanup = await Healer(nodes: cluster.nodes, remotes: cluster.remotes, timeoutSeconds: options.commandTimeoutSeconds)
            .heal(leftovers: leftovers)
        report.actions += cleanup.actions
        report.failures += cleanup.failures
        report.notes += cleanup.notes
        let failed = Set(cleanup.failures.map(\.node))
        state.withLock { s in
            for name in s.faketimeOffsets.keys where !failed.contains(name) { s.faketimeOffsets[name] = 0 }
            for name in Array(s.ntpStopped.keys) where !failed.contains(name) { s.ntpStopped[name] = nil }
            s.systemClockShifted = s.systemClockShifted.intersection(failed)
        }
        var event = report.event(timeNanoseconds: elapsed(), nodes: nodeNames)
        record(&event)
        report.failures = event.errors
        return report
    }
}
