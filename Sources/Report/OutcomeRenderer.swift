import Checkers
import Histories

/// Renders one checker's outcome for the reports: a text block and an HTML section.
///
/// Reports find the renderer by the outcome's checker name (``OutcomeRenderers``); a checker
/// without one of its own gets ``FindingsRenderer``, which shows its summary and findings, so a new
/// checker has a readable report with no code here. See `docs/reports.md`.
public protocol OutcomeRenderer: Sendable {
    /// The checker whose outcomes this renders, e.g. `linearizability`.
    var checker: String { get }

    /// The text block: lines ending in a newline, the first one naming the checker and its verdict.
    func text(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String

    /// One `<section class="check">` of the HTML page (a page holds at most one outcome per checker).
    func html(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String

    /// A short phrase for the page's one-line summary, e.g. `Model cas-register, partitions: ...`.
    func headline(_ outcome: CheckerOutcome) -> String
}

extension OutcomeRenderer {
    /// The checker's name and its summary.
    public func headline(_ outcome: CheckerOutcome) -> String { "\(outcome.checker): \(outcome.summary)" }
}

/// What a renderer may use beyond the outcome: the report's bounds, names and fault intervals.
public struct RenderContext: Sendable {
    /// How much to show.
    public var limits: ReportLimits
    /// The history's name in headings (default: the history's source).
    public var file: String?
    /// The run's fault intervals, for timelines.
    public var faults: [FaultInterval]

    /// A context with the default limits and no faults unless given.
    public init(limits: ReportLimits = ReportLimits(), file: String? = nil, faults: [FaultInterval] = []) {
        self.limits = limits
        self.file = file
        self.faults = faults
    }
}

/// The renderers the reports know, found by checker name, with ``FindingsRenderer`` for the rest.
public struct OutcomeRenderers: Sendable {
    /// The checkers' own renderers; at most one per checker name is used (the first).
    public var renderers: [any OutcomeRenderer]

    /// The renderers `renderers`, with ``FindingsRenderer`` for any other checker.
    public init(_ renderers: [any OutcomeRenderer]) {
        self.renderers = renderers
    }

    /// The checkers with a renderer of their own. Add a line here for a checker's own renderer.
    public static let standard = OutcomeRenderers([
        LinearizabilityRenderer(), TransactionRenderer(checker: "list-append"), TransactionRenderer(checker: "rw-register"),
    ])

    /// The renderer for `checker`'s outcomes.
    public func renderer(for checker: String) -> any OutcomeRenderer {
        renderers.first { $0.checker == checker } ?? FindingsRenderer(checker: checker)
    }

    /// The text blocks of every outcome, each after a blank line.
    public func text(_ outcomes: [CheckerOutcome], history: History, context: RenderContext) -> String {
        outcomes.map { "\n" + renderer(for: $0.checker).text($0, history: history, context: context) }.joined()
    }

    /// The HTML sections of every outcome, in order.
    func html(_ outcomes: [CheckerOutcome], history: History, context: RenderContext) -> String {
        outcomes.map { renderer(for: $0.checker).html($0, history: history, context: context) }.joined()
    }

    /// The headlines of every outcome, as one phrase.
    func headline(_ outcomes: [CheckerOutcome]) -> String {
        outcomes.map { renderer(for: $0.checker).headline($0) }.joined(separator: "; ")
    }
}
