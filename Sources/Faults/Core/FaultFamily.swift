import Basics
import Control
import Systems

/// A family of faults: its names, colour and help, and how to plan, apply, undo and heal them.
///
/// A family owns the history's `start-<name>`/`stop-<name>` operations and offers one or more
/// specific kinds (`partition-halves`, `clock-strobe`, ...). Plans are pure and seeded; apply
/// and undo act on the nodes through the ``FaultContext`` the controller passes; `heal` undoes
/// whatever faults of the family may have left, from the journal's events alone (`schism heal`)
/// or with the controller's context (`healAll`). Its plan and event details are its own
/// ``FaultDetails`` types, serialised to the JSON the journal and history carry.
///
/// Add a family by writing one folder under `Sources/Faults` and one line in the registry
/// (see docs/extending.md).
public protocol FaultFamily: Sendable {
    /// What a plan decides beyond its kind and nodes (a grudge, a clock offset, a probability).
    associatedtype Plan: FaultDetails
    /// What a start records in the journal and history (defaults to no details).
    associatedtype Started: FaultDetails = NoDetails
    /// What a stop records (defaults to no details).
    associatedtype Stopped: FaultDetails = NoDetails

    /// The family's name: the history's `start-<name>` and `stop-<name>`, and the report's colour key.
    var name: String { get }
    /// The specific kinds it offers, in a stable order (the order matters for a schedule's seed).
    var kinds: [String] { get }
    /// The kinds its name selects in `nemesis.faults` and `--nemesis` (default: every kind).
    var selectedKinds: [String] { get }
    /// Other names that select the same kinds (e.g. `loss` for `packet-loss`; default: none).
    var aliases: [String] { get }
    /// The report's fill colour for its intervals, as CSS (`#7a4ea3`).
    var colour: String { get }
    /// One line for `--help`, docs and error messages.
    var help: String { get }

    /// Draws the targets and sizes of one fault of `kind` over `nodes`; pure: the same generator
    /// state gives the same plan.
    func plan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> Planned<Plan>
    /// Applies a planned fault. Throws only when it is refused before anything ran; a failure on
    /// some nodes goes into the step's errors, and the fault stays active for its undo.
    func apply(_ plan: Planned<Plan>, in context: FaultContext) async throws(NemesisError) -> FaultStep<Started>
    /// Undoes a fault this family applied. Never throws: failures go into the step's errors.
    func undo(_ plan: Planned<Plan>, in context: FaultContext) async -> FaultStep<Stopped>
    /// Undoes whatever this family's faults may have left on the context's nodes, using the
    /// journal's `events` (of every family, oldest first; possibly none). Best effort.
    func heal(events: [FaultEvent], in context: FaultContext) async -> HealReport
    /// Things a person must know before trusting a run that schedules this family against `system`
    /// on `nodes` (default: none).
    func notes(system: any SystemUnderTest, nodes: [NodeConfig]) -> [String]
}

extension FaultFamily {
    public var selectedKinds: [String] { kinds }
    public var aliases: [String] { [] }
    public func notes(system: any SystemUnderTest, nodes: [NodeConfig]) -> [String] { [] }

    /// The history's `f` for a start of this family.
    public var startF: String { "start-\(name)" }
    /// The history's `f` for a stop of this family.
    public var stopF: String { "stop-\(name)" }

    /// ``plan(_:nodes:using:)`` with its details as JSON, for the controller.
    func plainPlan(_ kind: String, nodes: [String], using rng: inout some RandomNumberGenerator) -> FaultPlan {
        let planned = plan(kind, nodes: nodes, using: &rng)
        return FaultPlan(kind: planned.kind, nodes: planned.nodes, details: planned.details)
    }

    /// Applies a JSON plan: decodes its typed details, applies, and encodes what happened.
    func apply(plain plan: FaultPlan, in context: FaultContext) async throws(NemesisError) -> FaultStep<JSONDetails> {
        let step = try await apply(try typed(plan), in: context)
        return FaultStep(details: JSONDetails(step.details.json), errors: step.errors)
    }

    /// Undoes a fault from its JSON plan.
    func undo(plain plan: FaultPlan, in context: FaultContext) async -> FaultStep<JSONDetails> {
        do throws(NemesisError) {
            let step = await undo(try typed(plan), in: context)
            return FaultStep(details: JSONDetails(step.details.json), errors: step.errors)
        } catch {
            return FaultStep(details: JSONDetails([:]), errors: [error.nodeFailure])
        }
    }

    private func typed(_ plan: FaultPlan) throws(NemesisError) -> Planned<Plan> {
        Planned(kind: plan.kind, nodes: plan.nodes, details: try Plan(json: plan.details))
    }
}

/// A plan with its family's typed details.
public struct Planned<Details: FaultDetails>: Sendable, Hashable {
    /// The specific kind, e.g. `partition-one`.
    public var kind: String
    /// The nodes the fault acts on.
    public var nodes: [String]
    /// The family's own details.
    public var details: Details

    /// A plan.
    public init(kind: String, nodes: [String], details: Details) {
        self.kind = kind
        self.nodes = nodes
        self.details = details
    }
}

/// What applying or undoing one fault did: its typed details and the nodes where it failed.
public struct FaultStep<Details: FaultDetails>: Sendable {
    /// What was done (grudge, offsets, probability, ...).
    public var details: Details
    /// The nodes where it failed, and why.
    public var errors: [NodeFailure]

    /// A step.
    public init(details: Details, errors: [NodeFailure] = []) {
        self.details = details
        self.errors = errors
    }
}

/// Details a fault family attaches to a plan or an event, as its own type.
public protocol FaultDetails: Sendable, Hashable {
    /// The details as the journal's `details` object and the history's value carry them.
    var json: [String: JSONValue] { get }
    /// Reads the details back; throws naming the first missing or malformed field (other fields are ignored).
    init(json: [String: JSONValue]) throws(NemesisError)
}

/// No details.
public struct NoDetails: FaultDetails {
    /// Nothing.
    public init() {}
    /// Ignores the object.
    public init(json: [String: JSONValue]) {}
    /// `{}`.
    public var json: [String: JSONValue] { [:] }
}

/// Details that are already JSON (what the controller handles for every family).
struct JSONDetails: FaultDetails {
    /// The object.
    var json: [String: JSONValue]
    /// Wraps an object.
    init(_ json: [String: JSONValue]) { self.json = json }
    /// Wraps an object.
    init(json: [String: JSONValue]) { self.json = json }
}

extension [String: JSONValue] {
    /// The field `key` read with `read` (e.g. `\.stringValue`), or an error naming the field.
    public func field<T>(_ key: String, _ read: (JSONValue) -> T?) throws(NemesisError) -> T {
        guard let value = self[key], let typed = read(value) else {
            throw NemesisError(.journal, message: "missing or malformed field '\(key)'")
        }
        return typed
    }
}
