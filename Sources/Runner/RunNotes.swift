import Control
import Systems
import Faults

/// What a person must know before trusting a run, said plainly in the output and the reports.
enum RunNotes {
    /// Notes known before the run: faults that cannot reach the system under test, then the
    /// system's own (``SystemUnderTest/notes``).
    static func before(workload: Workload, nodes: [NodeConfig], database: any SystemUnderTest, nemesis: NemesisController) -> [String] {
        var notes: [String] = []
        let clock = workload.faultKinds.contains { $0.family == .clock }
        let faketime = nodes.filter { $0.clock == .faketime }.map(\.name)
        if clock, !faketime.isEmpty, nemesis.clockFaultsReachDatabase == false {
            notes.append(
                "Clock faults on \(faketime.joined(separator: ", ")) use libfaketime, which reaches programs that read time "
                    + "through libc; \(database.name) is a Go program and reads the clock through the vDSO, so the clock "
                    + "faults did NOT reach it. The offsets measured with `date` under libfaketime are recorded with each "
                    + "clock fault to show the mechanism worked; the run says nothing about \(database.name) under clock skew.")
        }
        return notes + database.notes
    }
}

extension Workload {
    /// Every specific fault kind's name, also accepted in `nemesis.faults` and `--nemesis`.
    public static var faultKindNames: [String] { FaultKind.allCases.map(\.rawValue) }

    /// The fault kinds to schedule: `partition` means every partition shape, `clock` bump and strobe,
    /// `loss` packet loss; a specific kind name (`partition-one`) means just that kind.
    public var faultKinds: [FaultKind] {
        var out: [FaultKind] = []
        for name in nemeses {
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
