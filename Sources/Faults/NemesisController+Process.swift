import Control
import Systems
import Histories

extension NemesisController {
    /// Kills or pauses the database's server on the plan's nodes.
    func applyProcess(_ plan: FaultPlan) async -> Outcome {
        let cluster = self.cluster
        let database = self.database
        let isKill = plan.kind == .kill
        let result = await eachNode(plan.nodes) { config, _ throws(NemesisError) -> Bool in
            do throws(SystemError) {
                if isKill, let db = database as? any KillableSystem {
                    try await db.kill(config, in: cluster)
                } else if !isKill, let db = database as? any PausableSystem {
                    try await db.pause(config, in: cluster)
                }
            } catch {
                throw NemesisError(error, doing: isKill ? "kill" : "pause")
            }
            return true
        }
        let applied = plan.nodes.filter { result.values[$0] == true }
        state.withLock { s in
            if isKill { s.killed.formUnion(applied) } else { s.paused.formUnion(applied) }
        }
        return Outcome(errors: result.errors, applied: applied)
    }

    /// Starts killed servers again, or resumes paused ones.
    func undoProcess(_ fault: FaultRecord) async -> Outcome {
        await restore(fault.kind == .kill ? .kill : .pause, nodes: fault.nodes)
    }

    /// Restarts (kill) or resumes (pause) the server on `nodes`; updates the tracked sets.
    func restore(_ family: FaultFamily, nodes: [String]) async -> Outcome {
        let cluster = self.cluster
        let database = self.database
        let isKill = family == .kill
        let result = await eachNode(nodes) { config, _ throws(NemesisError) -> Bool in
            do throws(SystemError) {
                if isKill, let db = database as? any KillableSystem {
                    try await db.start(config, in: cluster)
                } else if !isKill, let db = database as? any PausableSystem {
                    try await db.resume(config, in: cluster)
                }
            } catch {
                throw NemesisError(error, doing: isKill ? "restart" : "resume")
            }
            return true
        }
        let done = Set(nodes.filter { result.values[$0] == true })
        state.withLock { s in
            if isKill { s.killed.subtract(done) } else { s.paused.subtract(done) }
        }
        return Outcome(errors: result.errors, applied: done.sorted())
    }
}
