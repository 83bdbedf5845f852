import Basics
import Control
import Systems
import SyntheticHistories
import Histories
import Synchronization

/// Starts and stops faults on a test's nodes, journals each one, and heals everything.
///
/// ```swift
/// let journal = try FaultJournal(path: "\(runDir)/faults.jsonl")
/// let nemesis = NemesisController(cluster: cluster, database: db, journal: journal,
///                                 elapsedNanoseconds: { recorder.elapsedNanoseconds() })
/// var rng = SplitMix(seed: action.seed)
/// let fault = try await nemesis.start(.partitionRandomHalves, using: &rng)
/// history.append(fault.operation(index: next))
/// let stopped = await nemesis.stop(fault)
/// history.append(stopped.operation(index: next))
/// let report = await nemesis.healAll()          // at the end, on error, and on SIGINT
/// ```
/// Targets and sizes are drawn from the generator before anything runs, so a seed gives
/// the same faults. Start throws only when a fault is refused before anything ran (an
/// unsafe clock fault, a database without kill or pause); a failure on some nodes is
/// recorded in the returned record's event and the fault stays active for undo.
public final class NemesisController: Sendable {
    /// The nodes and their connections.
    public let cluster: TestCluster
    /// The system under test (needed for kill and pause).
    public let database: (any SystemUnderTest)?
    /// Sizes and targets.
    public let options: NemesisOptions
    /// Where every start and undo is appended; nil: no journal (tests).
    public let journal: FaultJournal?
    let elapsed: @Sendable () -> Int64
    let state = Mutex(State())

    struct State {
        var nextID = 1
        var active: [Int: FaultRecord] = [:]
        var killed: Set<String> = []
        var paused: Set<String> = []
        var faketimeOffsets: [String: Int] = [:]
        var ntpStopped: [String: [String]] = [:]
        var systemClockShifted: Set<String> = []
        var controllerAddresses: [String: String] = [:]
    }

    /// A controller for `cluster`.
    ///
    /// - Parameter elapsedNanoseconds: the test's clock (nanoseconds since it started), so
    ///   journal and history times agree; default: time since this controller was created.
    public init(
        cluster: TestCluster, database: (any SystemUnderTest)?, options: NemesisOptions = NemesisOptions(),
        journal: FaultJournal? = nil, elapsedNanoseconds: (@Sendable () -> Int64)? = nil
    ) {
        self.cluster = cluster
        self.database = database
        self.options = options
        self.journal = journal
        if let elapsedNanoseconds {
            elapsed = elapsedNanoseconds
        } else {
            let origin = ContinuousClock.now
            elapsed = {
                let d = ContinuousClock.now - origin
                return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
            }
        }
    }

    /// The node names, in nodes-file order.
    public var nodeNames: [String] { cluster.nodes.map(\.name) }

    /// The faults started and not yet stopped, oldest first.
    public var activeFaults: [FaultRecord] {
        state.withLock { $0.active.values.sorted { $0.id < $1.id } }
    }

    /// Whether clock faults reach the database's server on faketime nodes (nil: unknown).
    public var clockFaultsReachDatabase: Bool? {
        options.readsLibcTime(database: database?.name)
    }

    /// Draws targets with `rng`, then applies the fault (see ``start(_:)-(FaultPlan)``).
    public func start(_ kind: FaultKind, using rng: inout some RandomNumberGenerator) async throws(NemesisError)
        -> FaultRecord
    {
        let plan = FaultPlan.make(kind, nodes: nodeNames, options: options, using: &rng)
        return try await start(plan)
    }

    /// Draws targets from `seed` (a schedule action's seed), then applies the fault.
    public func start(_ kind: FaultKind, seed: UInt64) async throws(NemesisError) -> FaultRecord {
        var rng = SplitMix(seed: seed)
        return try await start(kind, using: &rng)
    }

    /// Applies a planned fault, journals it, and returns its record.
    public func start(_ plan: FaultPlan) async throws(NemesisError) -> FaultRecord {
        let known = Set(nodeNames)
        if let unknown = plan.nodes.first(where: { !known.contains($0) }) {
            throw NemesisError(.refused, node: unknown, message: "no node named \(unknown) in this test")
        }
        try checkCapability(plan.kind)
        let id = state.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
        var outcome: Outcome
        switch plan.kind.family {
        case .partition, .packetLoss: outcome = await applyNetwork(plan)
        case .kill, .pause: outcome = await applyProcess(plan)
        case .clock: outcome = try await applyClock(plan)
        }
        if plan.nodes.isEmpty { outcome.details["note"] = .string("nothing to do for \(nodeNames.count) node(s)") }
        var event = FaultEvent(
            timeNanoseconds: elapsed(), faultID: id, phase: .start, kind: plan.kind, nodes: plan.nodes,
            details: outcome.details, errors: outcome.errors)
        record(&event)
        let fault = FaultRecord(id: id, plan: plan, event: event, rules: outcome.rules, applied: outcome.applied)
        state.withLock { $0.active[id] = fault }
        return fault
    }

    /// Undoes a fault, journals the undo, and returns the event for the history.
    @discardableResult
    public func stop(_ fault: FaultRecord) async -> FaultEvent {
        let outcome: Outcome
        switch fault.kind.family {
        case .partition, .packetLoss: outcome = await undoNetwork(fault)
        case .kill, .pause: outcome = await undoProcess(fault)
        case .clock: outcome = await undoClock(fault)
        }
        var event = FaultEvent(
            timeNanoseconds: elapsed(), faultID: fault.id, phase: .stop, kind: fault.kind, nodes: fault.nodes,
            details: outcome.details, errors: outcome.errors)
        record(&event)
        _ = state.withLock { $0.active.removeValue(forKey: fault.id) }
        return event
    }

    /// What applying or undoing a fault did.
    struct Outcome {
        var details: [String: JSONValue] = [:]
        var errors: [NodeFailure] = []
        var rules: [String: [[String]]] = [:]
        var applied: [String] = []
    }

    /// Appends to the journal; a journal failure becomes one of the event's errors.
    func record(_ event: inout FaultEvent) {
        guard let journal else { return }
        do throws(NemesisError) {
            try journal.append(event)
        } catch {
            event.errors.append(NodeFailure(node: "-", message: error.message))
        }
    }

    private func checkCapability(_ kind: FaultKind) throws(NemesisError) {
        let name = database?.name ?? "no database"
        switch kind.family {
        case .kill where !(database is any KillableSystem):
            throw NemesisError(.refused, message: "cannot kill: \(name) does not support kill and restart")
        case .pause where !(database is any PausableSystem):
            throw NemesisError(.refused, message: "cannot pause: \(name) does not support pause and resume")
        default: return
        }
    }

    /// The configuration of the node named `name`.
    func node(_ name: String) -> NodeConfig? {
        cluster.nodes.first { $0.name == name }
    }

    /// Runs `body` for each named node at once; collects per-node values and failures.
    func eachNode<T: Sendable>(
        _ names: [String], _ body: @escaping @Sendable (NodeConfig, any Remote) async throws(NemesisError) -> T
    ) async -> (values: [String: T], errors: [NodeFailure]) {
        let pairs: [(NodeConfig, any Remote)] = names.compactMap { name in
            guard let config = node(name), let remote = cluster.remotes[name] else { return nil }
            return (config, remote)
        }
        var errors = names.filter { name in !pairs.contains { $0.0.name == name } }
            .map { NodeFailure(node: $0, message: "no connection to this node") }
        var values: [String: T] = [:]
        await withTaskGroup(of: (String, Result<T, NemesisError>).self) { group in
            for (config, remote) in pairs {
                group.addTask {
                    do throws(NemesisError) {
                        return (config.name, .success(try await body(config, remote)))
                    } catch {
                        return (config.name, .failure(error))
                    }
                }
            }
            for await (name, result) in group {
                switch result {
                case .success(let value): values[name] = value
                case .failure(let error):
                    var failure = error.nodeFailure
                    failure.node = name
                    errors.append(failure)
                }
            }
        }
        errors.sort { $0.node < $1.node }
        return (values, errors)
    }

    /// Runs a script on a node, throwing unless it exits 0.
    func run(_ remote: any Remote, _ script: String, sudo: Bool, doing what: String) async throws(NemesisError) -> String {
        do throws(RemoteError) {
            return try await remote.runScript(script, timeoutSeconds: options.commandTimeoutSeconds, sudo: sudo)
        } catch {
            throw NemesisError(error, doing: what)
        }
    }
}
