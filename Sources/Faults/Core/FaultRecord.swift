import Histories

/// A fault that was started: its plan and the start event.
///
/// Hand it back to `NemesisController.stop(_:)`. Its ``event`` is what the runner writes
/// into the history (``operation(index:)``) and what the journal holds.
public struct FaultRecord: Sendable, Hashable {
    /// Unique per controller; pairs the stop with the start in the journal and history.
    public let id: Int
    /// What was planned.
    public let plan: FaultPlan
    /// What happened when it started (details, measured offsets, per-node errors).
    public let event: FaultEvent

    /// The fault's specific kind.
    public var kind: String { plan.kind }
    /// The nodes it acted on.
    public var nodes: [String] { plan.nodes }
    /// Whether it failed on some node (the failures are in `event.errors`).
    public var hasErrors: Bool { !event.errors.isEmpty }

    /// The history operation for the start: `process: "nemesis", type: "info", f: "start-…"`.
    public func operation(index: Int) -> Op {
        event.operation(index: index)
    }
}
