import Checkers
import Faults
import Systems
import Workloads

/// Every plug-in a run can use: systems, workload kinds, checkers and fault families.
///
/// The built-in list is `BuiltIn.registry` (target `Plugins`); tests make their own with
/// plug-ins of their own. The runner and the CLI find everything by name here and nowhere else.
public struct PluginRegistry: Sendable {
    /// Systems under test; the first is the default when a file names none.
    public var systems: [any SystemPlugin]
    /// Workload kinds; the first is the default when a file names none.
    public var workloads: [any WorkloadKind]
    public var checkers: CheckerRegistry
    /// Fault families: the one source of their names, kinds, colours and help.
    public var faults: FaultRegistry

    public init(
        systems: [any SystemPlugin], workloads: [any WorkloadKind], checkers: [any CheckerPlugin], faults: [any FaultFamily]
    ) {
        self.systems = systems
        self.workloads = workloads
        self.checkers = CheckerRegistry(checkers)
        self.faults = FaultRegistry(faults)
    }

    /// The system plug-in named `name`.
    public func system(_ name: String) -> (any SystemPlugin)? { systems.first { $0.name == name } }

    /// The workload kind named `name`.
    public func workload(_ name: String) -> (any WorkloadKind)? { workloads.first { $0.name == name } }
}
