import Control
import Systems

/// Undoes whatever Schism's faults may have left on nodes, with or without a journal.
///
/// Asks every registered family to heal, in registration order, with the journal's events
/// (none when there is no journal). The built-in families, on every node whatever the journal
/// says: remove the `SCHISM` iptables chain and its jump rules (nothing else), send SIGCONT to
/// stopped processes whose PIDs are in `*.pid` files under the node's data folder (depth 3),
/// reset the faketime file `<data_dir>/faketime` to `+0`; from the journal: restart NTP services
/// a clock fault stopped, set real clocks it moved back to the controller's time, and restart
/// killed servers (or, without a system that can, say so in a note). Best effort: a failure on
/// one node never stops the rest.
public struct Healer: Sendable {
    /// The families to heal.
    public let registry: FaultRegistry
    /// The nodes, their connections, the system (if known) and the families' state.
    public let context: FaultContext

    /// A healer acting through `context` (a controller's).
    public init(registry: FaultRegistry, context: FaultContext) {
        self.registry = registry
        self.context = context
    }

    /// A healer for `nodes` reached through `remotes` (nodes without a connection are skipped).
    public init(
        registry: FaultRegistry, nodes: [NodeConfig], remotes: RemoteSet, system: (any SystemUnderTest)? = nil,
        timeoutSeconds: Double = 30
    ) {
        self.init(
            registry: registry,
            context: FaultContext(
                cluster: TestCluster(nodes: nodes, remotes: remotes), system: system, commandTimeoutSeconds: timeoutSeconds))
    }

    /// Heals every family; `events` are the journal's (oldest first), for what only it knows.
    public func heal(events: [FaultEvent] = []) async -> HealReport {
        var report = HealReport()
        for family in registry.families {
            report.merge(await family.heal(events: events, in: context))
        }
        return report
    }
}
