import Control
import Faults
import Systems

/// What a person must know before trusting a run, said plainly in the output and the reports.
enum RunNotes {
    /// Notes known before the run: faults that cannot reach the system (each family says), then
    /// the system's own (``SystemUnderTest/notes``).
    static func before(plan: TestPlan, nodes: [NodeConfig], nemesis: NemesisController) -> [String] {
        let system = plan.system.system
        return nemesis.registry.notes(kinds: plan.faultKinds, system: system, nodes: nodes) + system.notes
    }
}
