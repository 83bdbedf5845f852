import Control
import Systems

/// Acting on the system's server processes through its capabilities, for the kill and pause families.
public enum ServerFaults {
    /// The system under test as the capability `S` (e.g. `any KillableSystem`); otherwise a
    /// refusal such as "cannot kill: etcd does not support kill and restart".
    public static func system<S>(_ context: FaultContext, as _: S.Type, toDo what: String, needing: String) throws(NemesisError) -> S {
        guard let system = context.system as? S else {
            let name = context.system?.name ?? "no database"
            throw NemesisError(.refused, message: "cannot \(what): \(name) does not support \(needing)")
        }
        return system
    }

    /// Applies or undoes a fault through the capability `S`: `action` on each of `nodes`, failures as errors.
    public static func step<S: Sendable>(
        on nodes: [String], in context: FaultContext, as type: S.Type, doing what: String, needing: String,
        _ action: @escaping @Sendable (S, NodeConfig, TestCluster) async throws(SystemError) -> Void
    ) async -> FaultStep<NoDetails> {
        do throws(NemesisError) {
            let system = try Self.system(context, as: type, toDo: what, needing: needing)
            let result = await act(on: nodes, in: context, doing: what) { node, cluster throws(SystemError) in
                try await action(system, node, cluster)
            }
            return FaultStep(details: NoDetails(), errors: result.errors)
        } catch {
            return FaultStep(details: NoDetails(), errors: [error.nodeFailure])
        }
    }

    /// Calls `action` (kill, start, pause, resume) for each of `nodes` at once; returns the failures.
    public static func act(
        on nodes: [String], in context: FaultContext, doing what: String,
        _ action: @escaping @Sendable (NodeConfig, TestCluster) async throws(SystemError) -> Void
    ) async -> (done: [String], errors: [NodeFailure]) {
        let cluster = context.cluster
        let result = await context.eachNode(nodes) { config, _ throws(NemesisError) -> Bool in
            do throws(SystemError) {
                try await action(config, cluster)
            } catch {
                throw NemesisError(error, doing: what)
            }
            return true
        }
        return (nodes.filter { result.values[$0] == true }, result.errors)
    }

    /// The nodes a family's faults left acted on, by the journal: starts add the nodes where they
    /// worked, stops remove the nodes where they worked, heals remove the nodes they restored.
    public static func leftoverNodes(of family: String, in events: [FaultEvent]) -> Set<String> {
        var left: Set<String> = []
        for event in events {
            let failed = Set(event.errors.map(\.node))
            switch event.phase {
            case .start where event.family == family:
                left.formUnion(event.nodes.filter { !failed.contains($0) })
            case .stop where event.family == family:
                left.subtract(event.nodes.filter { !failed.contains($0) })
            case .heal:
                if case .object(let restored)? = event.details["restored"] {
                    left.subtract((restored[family]?.arrayValue ?? []).compactMap(\.stringValue))
                }
            default: break
            }
        }
        return left
    }

    /// Restores the nodes the journal says `family` left (with `restore`, when the system can),
    /// or notes each one (`note`, when it cannot).
    public static func heal(
        _ family: String, events: [FaultEvent], in context: FaultContext, doing what: String, done: String,
        restore: (@Sendable (NodeConfig, TestCluster) async throws(SystemError) -> Void)?, note: (String) -> String?
    ) async -> HealReport {
        var report = HealReport()
        let left = leftoverNodes(of: family, in: events).filter { context.node($0) != nil }.sorted()
        guard !left.isEmpty else { return report }
        guard let restore else {
            report.notes = left.compactMap(note)
            return report
        }
        let result = await act(on: left, in: context, doing: what, restore)
        report.actions = result.done.map { HealReport.Action(node: $0, what: done) }
        report.failures = result.errors
        if !result.done.isEmpty { report.restored[family] = result.done }
        return report
    }
}
