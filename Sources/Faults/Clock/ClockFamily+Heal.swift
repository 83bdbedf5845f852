import Basics
import Control

extension ClockFamily {
    /// Resets every node's faketime file to `+0`; from the journal, sets real clocks a fault moved
    /// back to the controller's time (where that is safe) and restarts the NTP services it stopped.
    public func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport {
        let left = leftovers(events)
        let nodes = context.cluster.nodes
        let result = await context.eachNode(context.connectedNodeNames) { config, remote throws(NemesisError) -> [String] in
            var done = try await context.run(remote, Self.resetFaketimeScript(config), sudo: true, doing: "reset the faketime file")
                .split(separator: "\n").map(String.init)
            if config.clock == .system, left.systemClockShifted.contains(config.name),
                ClockSafety.staticRefusal(config, among: nodes) == nil
            {
                let now = ClockScripts.realtimeNanoseconds()
                try await context.run(remote, ClockScripts.setSystemClock(epochNanoseconds: now), sudo: true, doing: "set the clock")
                done.append("set the real clock to the controller's time")
            }
            if let services = left.ntpStopped[config.name], !services.isEmpty {
                try await context.run(remote, ClockScripts.startNTP(services), sudo: true, doing: "restart NTP")
                done.append("restarted NTP: \(services.joined(separator: ", "))")
            }
            return done
        }
        var report = HealReport()
        for name in context.connectedNodeNames {
            report.actions += (result.values[name] ?? []).filter { !$0.isEmpty }.map { HealReport.Action(node: name, what: $0) }
        }
        report.failures = result.errors
        let healed = Set(result.values.keys)
        context.withState(State()) { s in
            for name in healed {
                s.faketimeOffsets[name] = 0
                s.ntpStopped[name] = nil
                s.systemClockShifted.remove(name)
            }
        }
        return report
    }

    /// What the journal says clock faults left: NTP services stopped and real clocks moved, by node.
    ///
    /// Replays the events in order: starts add, successful stops remove, and a heal removes every
    /// node it did not fail on.
    public func leftovers(_ events: [FaultEvent]) -> (ntpStopped: [String: [String]], systemClockShifted: Set<String>) {
        var ntpStopped: [String: [String]] = [:]
        var shifted: Set<String> = []
        for event in events {
            let failed = Set(event.errors.map(\.node))
            switch event.phase {
            case .heal:
                for node in Array(ntpStopped.keys) where !failed.contains(node) { ntpStopped[node] = nil }
                shifted = shifted.intersection(failed)
            case .start where event.family == name:
                // Only the two fields heal needs, so that a journal with other fields missing still heals.
                if case .object(let stopped)? = event.details["ntp_stopped"] {
                    for (node, list) in stopped { ntpStopped[node, default: []] += (list.arrayValue ?? []).compactMap(\.stringValue) }
                }
                shifted.formUnion((event.details["system_clock"]?.arrayValue ?? []).compactMap(\.stringValue))
            case .stop where event.family == name:
                for node in event.nodes where !failed.contains(node) {
                    ntpStopped[node] = nil
                    shifted.remove(node)
                }
            default: break
            }
        }
        return (ntpStopped, shifted)
    }

    /// Resets `<data_dir>/faketime` to `+0` when it exists and says anything else; prints what it did.
    static func resetFaketimeScript(_ node: NodeConfig) -> String {
        """
        f=\(ShellQuote.quote(ClockScripts.faketimePath(node)))
        if [ -f "$f" ]; then
          c=$(head -c 64 "$f" | tr -d '[:space:]')
          if [ "$c" != "+0" ]; then
            printf '+0\\n' > "$f.schism-tmp" && mv -f "$f.schism-tmp" "$f" && echo "reset $f to +0 (was $c)"
          fi
        fi
        exit 0

        """
    }
}
