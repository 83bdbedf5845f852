import Control
import Systems
import Faults

/// What a person must know before trusting a run, said plainly in the output and the reports.
enum RunNotes {
    /// Notes known before the run: faults that cannot reach the system under test.
    static func before(workload: Workload, nodes: [NodeConfig], database: any SystemUnderTest, nemesis: NemesisController) -> [String] {
        var notes: [String] = []
        notes += nemesis.registry.notes(kinds: workload.faultKinds, system: database, nodes: nodes)
        if workload.reads == "serializable" {
            notes.append("Reads are serializable: etcd may answer them from a stale member, so stale reads are expected to be found.")
        }
        return notes
    }
}

extension Workload {
    /// The fault families this build knows (the lead passes the built-in registry from `Plugins`).
    public static var faultRegistry: FaultRegistry { .standard }

    /// Every specific fault kind's name, also accepted in `nemesis.faults` and `--nemesis`.
    public static var faultKindNames: [String] { faultRegistry.kindNames }

    /// The fault kinds to schedule: a family name (`partition`, `clock`, `loss`) means its kinds,
    /// a specific kind name (`partition-one`) just that kind; see ``FaultRegistry/resolve(_:)``.
    public var faultKinds: [String] { (try? Self.faultRegistry.resolve(nemeses)) ?? [] }

    /// Checks fault names from `--nemesis` (`none` alone means no faults); returns those to keep in `nemeses`.
    public static func checkedFaultNames(_ names: [String]) throws(NemesisError) -> [String] {
        _ = try faultRegistry.resolve(names)
        return names.filter { $0 != FaultRegistry.none }
    }
}
