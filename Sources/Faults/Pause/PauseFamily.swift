import Control
import Systems

/// Pauses the server on some nodes (SIGSTOP, through ``PausableSystem``); the undo resumes it (SIGCONT).
///
/// Refused before anything runs when the system under test cannot be paused. Heal sends SIGCONT,
/// on every node, to stopped processes whose PIDs are in `*.pid` files under the node's data
/// folder (depth 3), and resumes through the system the servers the journal says are paused.
public struct PauseFamily: ServerFaultFamily {
    public typealias Capability = any PausableSystem
    public var targets: [TargetSpec]

    /// The family with its target choices.
    public init(targets: [TargetSpec] = [.one, .minority, .majority, .all]) {
        self.targets = targets
    }

    public var name: String { "pause" }
    public var kinds: [String] { ["pause"] }
    public var colour: String { "#e07b00" }
    public var help: String { "pause the server on some nodes (SIGSTOP); the undo resumes it (SIGCONT)" }
    public var capabilityName: String { "pause and resume" }
    public var undoVerb: String { "resume" }

    public func act(_ system: any PausableSystem, on node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await system.pause(node, in: cluster)
    }

    public func restore(_ system: any PausableSystem, on node: NodeConfig, in cluster: TestCluster) async throws(SystemError) {
        try await system.resume(node, in: cluster)
    }

    public func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport {
        var report = await ServerFaults.heal(
            name, events: events, in: context, doing: undoVerb, done: "resumed the server", restore: restorer(in: context),
            note: { _ in nil })
        report.merge(await context.runEverywhere(Self.resumeStoppedScript, doing: "resume stopped processes"))
        return report
    }

    /// Sends SIGCONT to stopped processes named by `*.pid` files under the node's data folder; prints each.
    static func resumeStoppedScript(_ node: NodeConfig) -> String {
        let dir = ShellQuote.quote(node.dataDir)
        return """
            if [ -d \(dir) ]; then
              find \(dir) -maxdepth 3 -name '*.pid' -type f 2>/dev/null | head -n 100 | while read -r f; do
                pid=$(head -c 32 "$f" | tr -cd '0-9')
                [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || continue
                if grep -q '^State:[[:space:]]*T' "/proc/$pid/status"; then
                  kill -CONT "$pid" && echo "resumed stopped process $pid (pidfile $f)"
                fi
              done
            fi
            exit 0

            """
    }
}
