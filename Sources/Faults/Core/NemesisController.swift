import Basics
import Control
import Histories
import Synchronization
import Systems

/// Starts and stops faults by kind name, journals each one, and heals everything.
///
/// ```swift
/// let journal = try FaultJournal(path: "\(runDir)/faults.jsonl")
/// let nemesis = NemesisController(cluster: cluster, system: etcd, registry: registry, journal: journal,
///                                 elapsedNanoseconds: { recorder.elapsedNanoseconds() })
/// let fault = try await nemesis.start("partition-random-halves", seed: action.seed)
/// history.append(fault.operation(index: next))
/// let stopped = await nemesis.stop(fault)
/// history.append(stopped.operation(index: next))
/// let report = await nemesis.healAll()          // at the end, on error, and on SIGINT
/// ```
/// The controller knows no fault: it finds the kind's family in the registry, which plans,
/// applies, undoes and heals. Targets and sizes are drawn before anything runs, so a seed gives
/// the same faults. Start throws only when a fault is refused before anything ran (an unknown
/// kind, an unsafe clock fault, a system without kill or pause); a failure on some nodes is
/// recorded in the returned record's event and the fault stays active for undo.
public final class NemesisController: Sendable {
    /// The fault families this controller can start.
    public let registry: FaultRegistry
    /// The nodes, the system under test, and the families' state.
    public let context: FaultContext
    /// Where every start and undo is appended; nil: no journal (tests).
    public let journal: FaultJournal?
    let elapsed: @Sendable () -> Int64
    private let state = Mutex(State())

    private struct State {
        var nextID = 1
        var active: [Int: FaultRecord] = [:]
        /// Every event so far (what the journal holds), for `healAll`.
        var events: [FaultEvent] = []
    }

    /// A controller for `cluster`.
    ///
    /// - Parameter elapsedNanoseconds: the test's clock (nanoseconds since it started), so
    ///   journal and history times agree; default: time since this controller was created.
    public init(
        cluster: TestCluster, system: (any SystemUnderTest)?, registry: FaultRegistry, journal: FaultJournal? = nil,
        commandTimeoutSeconds: Double = 15, elapsedNanoseconds: (@Sendable () -> Int64)? = nil
    ) {
        self.registry = registry
        self.context = FaultContext(cluster: cluster, system: system, commandTimeoutSeconds: commandTimeoutSeconds)
        self.journal = journal
        if let elapsedNanoseconds {
            elapsed = elapsedNanoseconds
        } else {
            let origin = ContinuousClock.now
            elapsed = { (ContinuousClock.now - origin).nanoseconds }
        }
    }

    /// The node names, in nodes-file order.
    public var nodeNames: [String] { context.nodeNames }

    /// The faults started and not yet stopped, oldest first.
    public var activeFaults: [FaultRecord] {
        state.withLock { $0.active.values.sorted { $0.id < $1.id } }
    }

    /// Plans a fault of `kind` with `rng` (pure: nothing runs).
    public func plan(_ kind: String, using rng: inout some RandomNumberGenerator) throws(NemesisError) -> FaultPlan {
        try family(ofKind: kind).plainPlan(kind, nodes: nodeNames, using: &rng)
    }

    /// Draws targets with `rng`, then applies the fault (see ``start(_:)-(FaultPlan)``).
    public func start(_ kind: String, using rng: inout some RandomNumberGenerator) async throws(NemesisError) -> FaultRecord {
        try await start(try plan(kind, using: &rng))
    }

    /// Draws targets from `seed` (a schedule action's seed), then applies the fault.
    public func start(_ kind: String, seed: UInt64) async throws(NemesisError) -> FaultRecord {
        var rng = SplitMix(seed: seed)
        return try await start(kind, using: &rng)
    }

    /// Applies a planned fault, journals it, and returns its record.
    public func start(_ plan: FaultPlan) async throws(NemesisError) -> FaultRecord {
        let family = try family(ofKind: plan.kind)
        let known = Set(nodeNames)
        if let unknown = plan.nodes.first(where: { !known.contains($0) }) {
            throw NemesisError(.refused, node: unknown, message: "no node named \(unknown) in this test")
        }
        let step = try await family.apply(plain: plan, in: context)
        var details = step.details.json
        if plan.nodes.isEmpty { details["note"] = .string("nothing to do for \(nodeNames.count) node(s)") }
        let id = state.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
        let event = record(
            FaultEvent(
                timeNanoseconds: elapsed(), faultID: id, phase: .start, family: family.name, kind: plan.kind,
                nodes: plan.nodes, details: details, errors: step.errors))
        let fault = FaultRecord(id: id, plan: plan, event: event)
        state.withLock { $0.active[id] = fault }
        return fault
    }

    /// Undoes a fault, journals the undo, and returns the event for the history.
    @discardableResult
    public func stop(_ fault: FaultRecord) async -> FaultEvent {
        let step: FaultStep<JSONDetails>
        do throws(NemesisError) {
            let family = try family(ofKind: fault.kind)
            step = await family.undo(plain: fault.plan, in: context)
        } catch {
            step = FaultStep(details: JSONDetails([:]), errors: [error.nodeFailure])
        }
        let event = record(
            FaultEvent(
                timeNanoseconds: elapsed(), faultID: fault.id, phase: .stop, family: fault.event.family, kind: fault.kind,
                nodes: fault.nodes, details: step.details.json, errors: step.errors))
        _ = state.withLock { $0.active.removeValue(forKey: fault.id) }
        return event
    }

    /// Undoes every active fault (newest first), then lets every family heal from this controller's events.
    ///
    /// Best effort: failures are reported, never thrown. Journals a `heal` event. Call it at the
    /// end of a test, after an error, and on SIGINT — from a task that is not cancelled, since
    /// cancellation would cut its commands short.
    public func healAll() async -> HealReport {
        var report = HealReport()
        for fault in activeFaults.reversed() {
            let event = await stop(fault)
            report.stopped.append(event)
            report.failures += event.errors
        }
        let events = state.withLock { $0.events }
        report.merge(await Healer(registry: registry, context: context).heal(events: events))
        let event = record(report.event(timeNanoseconds: elapsed(), nodes: nodeNames))
        report.failures = event.errors
        return report
    }

    private func family(ofKind kind: String) throws(NemesisError) -> any FaultFamily {
        guard let family = registry.family(ofKind: kind) else {
            throw NemesisError(
                .unknownFault, message: "unknown fault kind \"\(kind)\"; known: \(registry.kindNames.joined(separator: ", "))")
        }
        return family
    }

    /// Keeps the event and appends it to the journal; a journal failure becomes one of its errors.
    private func record(_ event: FaultEvent) -> FaultEvent {
        var event = event
        if let journal {
            do throws(NemesisError) {
                try journal.append(event)
            } catch {
                event.errors.append(NodeFailure(node: "-", message: error.message))
            }
        }
        let kept = event
        state.withLock { $0.events.append(kept) }
        return event
    }
}
