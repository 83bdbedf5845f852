import Basics
import Checkers
import Histories
import Report
import Testing

/// The list-append report: the findings' prose in text, and each cycle drawn as SVG with the
/// transactions' full text in HTML.
struct TransactionRendererTests {
    /// A write skew: T0 sets keys 1 and 2; T1 and T2 each read both and append to one.
    static let history: History = {
        let ops: [(Int, OpType, JSONValue)] = [
            (0, .invoke, [["append", 1, 1], ["append", 2, 1]]), (0, .ok, [["append", 1, 1], ["append", 2, 1]]),
            (1, .invoke, [["r", 1, .null], ["r", 2, .null], ["append", 1, 2]]),
            (2, .invoke, [["r", 1, .null], ["r", 2, .null], ["append", 2, 2]]),
            (1, .ok, [["r", 1, [1]], ["r", 2, [1]], ["append", 1, 2]]),
            (2, .ok, [["r", 1, [1]], ["r", 2, [1]], ["append", 2, 2]]),
        ]
        return History(operations: ops.enumerated().map { i, o in Op(index: i, process: .client(o.0), type: o.1, f: "txn", value: o.2) })
    }()

    @Test func aCycleIsDrawnWithItsTransactions() throws {
        let outcome = TransactionCheck(listAppend: true).check(Self.history)
        let renderer = OutcomeRenderers.standard.renderer(for: "list-append")
        let html = renderer.html(outcome, history: Self.history, context: RenderContext())
        #expect(html.contains("<svg class=\"cycle\""))
        #expect(html.components(separatedBy: ">rw</text>").count == 3)  // two rw edges, labelled
        #expect(html.contains("T1 (operation 2, process 1, ok): [r 1 [1]] [r 2 [1]] [append 1 2]"))
        #expect(html.hasSuffix("</section>\n"))
        let text = renderer.text(outcome, history: Self.history, context: RenderContext())
        #expect(text.hasPrefix("Checker list-append: INVALID"))
        #expect(text.contains("G2-item, operations 2, 3"))
        let page = HTMLReport.render(outcomes: [outcome], history: Self.history, title: "t")
        #expect(page.contains("<svg class=\"cycle\""))
    }

    @Test func aValidOutcomeDrawsNoCycles() {
        let valid = History(operations: Array(Self.history.operations.prefix(2)))
        let outcome = TransactionCheck(listAppend: true).check(valid)
        #expect(outcome.verdict == .valid)
        let html = OutcomeRenderers.standard.renderer(for: "list-append").html(outcome, history: valid, context: RenderContext())
        #expect(!html.contains("<svg"))
    }
}
