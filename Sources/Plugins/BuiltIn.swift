import Checkers
import Etcd
import Runner
import Systems
import Workloads

/// The plug-ins Schism ships: adding one is a folder of its own and one line here.
public enum BuiltIn {
    /// Every built-in system, workload kind and checker; the first system and the first
    /// workload kind are the defaults of a workload file that names none.
    public static var registry: PluginRegistry {
        PluginRegistry(
            systems: [
                EtcdPlugin(),
            ],
            workloads: [
                RegisterKind(),
            ],
            checkers: [
                LinearizabilityPlugin(),
            ])
    }

    /// The workload file `schism test` runs when given none (if present in the working folder).
    public static let defaultWorkloadFile = "Workloads/etcd-register.yml"
}
