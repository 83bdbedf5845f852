import Control
import Faults
import Systems

/// What a person must know before trusting a run, said plainly in the output and the reports.
enum RunNotes {
    /// Notes known before the run: the system's own, and faults that cannot reach the system.
    static func before(plan: TestPlan, nodes: [NodeConfig], nemesis: NemesisController) -> [String] {
        var notes: [String] = []
        let system = plan.system.system
        let clock = plan.faultKinds.contains { $0.family == .clock }
        let faketime = nodes.filter { $0.clock == .faketime }.map(\.name)
        if clock, !faketime.isEmpty, nemesis.clockFaultsReachDatabase == false {
            notes.append(
                "Clock faults on \(faketime.joined(separator: ", ")) use libfaketime, which reaches programs that read time "
                    + "through libc; \(system.name) does not read the clock through libc (a Go program reads it through the "
                    + "vDSO), so the clock faults did NOT reach it. The offsets measured with `date` under libfaketime are "
                    + "recorded with each clock fault to show the mechanism worked; the run says nothing about \(system.name) "
                    + "under clock skew.")
        }
        return notes + system.notes
    }
}

extension TestPlan {
    /// The faults a run has unless its file says otherwise: every family.
    public static var defaultFaults: [String] { faultFamilyNames }

    /// The family names accepted in `nemesis.faults` and `--nemesis`.
    public static let faultFamilyNames = ["partition", "kill", "pause", "clock", "loss"]

    /// Every specific fault kind's name, also accepted in `nemesis.faults` and `--nemesis`.
    public static var faultKindNames: [String] { FaultKind.allCases.map(\.rawValue) }

    /// The fault kinds to schedule: `partition` means every partition shape, `clock` bump and strobe,
    /// `loss` packet loss; a specific kind name (`partition-one`) means just that kind.
    static func kinds(named names: [String]) -> [FaultKind] {
        var out: [FaultKind] = []
        for name in names {
            switch name {
            case "partition": out += FaultKind.allCases.filter(\.isPartition)
            case "clock": out += [.clockBump, .clockStrobe]
            case "loss": out.append(.packetLoss)
            default: if let k = FaultKind(name: name) { out.append(k) }
            }
        }
        var seen = Set<FaultKind>()
        return out.filter { seen.insert($0).inserted }
    }
}
