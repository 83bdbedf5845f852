import BringYourOwn
import Checkers
import Etcd
import Faults
import Postgres
import Redis
import Runner
import Systems
import Workloads

/// The plug-ins Schism ships: adding one is a folder of its own and one line here.
public enum BuiltIn {
    /// Every built-in system, workload kind, checker and fault family; the first system and the
    /// first workload kind are the defaults of a workload file that names none. The order of
    /// the fault families is part of the seed's meaning: append new families at the end.
    public static var registry: PluginRegistry {
        PluginRegistry(
            systems: [
                EtcdPlugin(),
                RedisPlugin(),
                PostgresPlugin(),
                BinaryPlugin(),
            ],
            workloads: [
                RegisterKind(),
                ListAppendKind(),
                RWRegisterKind(),
            ],
            checkers: [
                LinearizabilityPlugin(),
                TransactionPlugin(listAppend: true),
                TransactionPlugin(listAppend: false),
            ],
            faults: [
                PartitionFamily(),
                KillFamily(),
                PauseFamily(),
                ClockFamily(),
                PacketLossFamily(),
            ])
    }

    /// The workload file `schism test` runs when given none (if present in the working folder).
    public static let defaultWorkloadFile = "Workloads/etcd-register.yml"
}
