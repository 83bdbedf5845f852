import Control
import Foundation

/// Undoes whatever Schism's faults may have left on nodes, with or without a journal.
///
/// Unconditionally, on every node: removes the `SCHISM` iptables chain and its jump rules
/// (nothing else), sends SIGCONT to stopped processes whose PIDs are in `*.pid` files under
/// the node's data folder (depth 3), and resets the faketime file `<data_dir>/faketime` to
/// `+0`. From the journal: restarts NTP services a clock fault stopped and sets real clocks
/// it moved back to the controller's time. Killed servers cannot be restarted without the
/// database: they are reported as notes. Best effort: a failure on one node never stops the rest.
public struct Healer: Sendable {
    /// The nodes to clean.
    public let nodes: [NodeConfig]
    /// Their connections.
    public let remotes: RemoteSet
    /// Seconds each cleanup command may run on a node.
    public var timeoutSeconds: Double

    /// A healer for these nodes.
    public init(nodes: [NodeConfig], remotes: RemoteSet, timeoutSeconds: Double = 30) {
        self.nodes = nodes
        self.remotes = remotes
        self.timeoutSeconds = timeoutSeconds
    }

    /// The script that cleans what Schism owns on a node; prints one line per thing undone.
    public static func cleanupScript(dataDir: String) -> String {
        let dir = ShellQuote.quote(dataDir)
        let faketime = ShellQuote.quote(dataDir.hasSuffix("/") ? dataDir + "faketime" : dataDir + "/faketime")
        return Firewall.removeAllScript + """
            if [ -d \(dir) ]; then
              find \(dir) -maxdepth 3 -name '*.pid' -type f 2>/dev/null | head -n 100 | while read -r f; do
                pid=$(head -c 32 "$f" | tr -cd '0-9')
                [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || continue
                if grep -q '^State:[[:space:]]*T' "/proc/$pid/status"; then
                  kill -CONT "$pid" && echo "resumed stopped process $pid (pidfile $f)"
                fi
              done
            fi
            f=\(faketime)
            if [ -f "$f" ]; then
              c=$(head -c 64 "$f" | tr -d '[:space:]')
              if [ "$c" != "+0" ]; then
                printf '+0\\n' > "$f.schism-tmp" && mv -f "$f.schism-tmp" "$f" && echo "reset $f to +0 (was $c)"
              fi
            fi
            exit 0

            """
    }

    /// Cleans every node; `leftovers` (from the journal) adds NTP and real-clock restores.
    public func heal(leftovers: JournalLeftovers = JournalLeftovers()) async -> HealReport {
        let timeout = timeoutSeconds
        let byName = Dictionary(nodes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let results = await RemoteSet(remotes: remotes.remotes.filter { byName[$0.node] != nil }).forEach {
            remote throws(RemoteError) -> [String] in
            guard let config = byName[remote.node] else { return [] }
            var done: [String] = []
            let out = try await remote.runScript(Self.cleanupScript(dataDir: config.dataDir), timeoutSeconds: timeout, sudo: true)
            done += out.split(separator: "\n").map(String.init)
            if config.clock == .system, leftovers.systemClockShifted.contains(config.name),
                ClockSafety.staticRefusal(config, among: nodes) == nil
            {
                let now = ClockScripts.realtimeNanoseconds()
                try await remote.runScript(ClockScripts.setSystemClock(epochNanoseconds: now), timeoutSeconds: timeout, sudo: true)
                done.append("set the real clock to the controller's time")
            }
            if let services = leftovers.ntpStopped[config.name], !services.isEmpty {
                try await remote.runScript(ClockScripts.startNTP(services), timeoutSeconds: timeout, sudo: true)
                done.append("restarted NTP: \(services.joined(separator: ", "))")
            }
            return done
        }
        var report = HealReport()
        for (node, result) in results {
            switch result {
            case .success(let lines):
                report.actions += lines.filter { !$0.isEmpty }.map { HealReport.Action(node: node, what: $0) }
            case .failure(let error):
                report.failures.append(NodeFailure(node: node, message: error.description))
            }
        }
        for node in leftovers.killed.sorted() where byName[node] != nil {
            report.notes.append(
                "\(node): the journal says its server was killed and not started again; heal cannot start a "
                    + "database it does not know: start it (or run the test's teardown)")
        }
        return report
    }
}
