import Checkers
import Foundation
import Histories

/// Renders the `list-append` and `rw-register` outcomes: the findings as prose (as
/// ``FindingsRenderer`` does) and, in HTML, each dependency cycle as an inline SVG with the
/// transactions' full text beside it.
///
/// Bounded for huge histories: only the kept examples (a few per kind) are drawn, at most
/// `limits.detailedKeys` of them, and a cycle longer than ``maxDrawn`` is drawn in part.
public struct TransactionRenderer: OutcomeRenderer {
    public let checker: String
    /// The most transactions of one cycle drawn.
    public static let maxDrawn = 12

    public init(checker: String) {
        self.checker = checker
    }

    public func text(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String {
        FindingsRenderer(checker: checker).text(outcome, history: history, context: context)
    }

    public func html(_ outcome: CheckerOutcome, history: History, context: RenderContext) -> String {
        var h = FindingsRenderer(checker: checker).html(outcome, history: history, context: context)
        guard let payload = outcome.payload as? TransactionPayload else { return h }
        let cycles = payload.result.anomalies.filter { $0.cycle != nil }.prefix(context.limits.detailedKeys)
        guard !cycles.isEmpty else { return h }
        var figures = "<div class=\"cycles\">\n<h3>Dependency cycles</h3>\n"
        for a in cycles {
            guard let cycle = a.cycle else { continue }
            figures += "<figure class=\"cycle\"><figcaption>\(Format.html(a.kind)): \(cycle.nodes.count) transactions</figcaption>\n"
            figures += Self.svg(cycle)
            figures += "<ul class=\"txns\">\n"
            for t in cycle.nodes.prefix(Self.maxDrawn) {
                figures += "<li><code>\(Format.html(payload.txns.text(t)))</code></li>\n"
            }
            if cycle.nodes.count > Self.maxDrawn { figures += "<li>… and \(cycle.nodes.count - Self.maxDrawn) more</li>\n" }
            figures += "</ul></figure>\n"
        }
        figures += "</div>\n"
        if let end = h.range(of: "</section>", options: .backwards) {
            h.replaceSubrange(end, with: figures + "</section>")
        }
        return h
    }

    /// The cycle as nodes on a circle and labelled arrows (`ww`, `wr`, `rw`, `process`, `realtime`).
    static func svg(_ cycle: DependencyCycle) -> String {
        let n = min(cycle.nodes.count, maxDrawn)
        let size = 320.0
        let c = size / 2
        let radius = n <= 2 ? 70.0 : 120.0
        func point(_ i: Int) -> (x: Double, y: Double) {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(i) / Double(n)
            return (c + radius * cos(angle), c + radius * sin(angle))
        }
        var s = "<svg class=\"cycle\" width=\"\(Int(size))\" height=\"\(Int(size))\" viewBox=\"0 0 \(Int(size)) \(Int(size))\" role=\"img\">\n"
        s += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\"/></marker></defs>\n"
        for i in 0..<n {
            // The last drawn node closes the circle even when the cycle is cut.
            let j = (i + 1) % n
            let a = point(i)
            let b = point(j)
            let dx = b.x - a.x
            let dy = b.y - a.y
            let len = max(1, (dx * dx + dy * dy).squareRoot())
            let (ux, uy) = (dx / len, dy / len)
            // Bend the edge a little to the side, so that a 2-cycle shows two arrows.
            let mx = (a.x + b.x) / 2 - uy * 24
            let my = (a.y + b.y) / 2 + ux * 24
            let kind = i < cycle.kinds.count && (cycle.nodes.count <= maxDrawn || i < n - 1) ? cycle.kinds[i].name : "…"
            let colour = ["ww": "#b03a2e", "wr": "#1f618d", "rw": "#7d3c98", "process": "#117a65", "realtime": "#b9770e"][kind] ?? "#555"
            s += "<path d=\"M \(f(a.x + ux * 22)) \(f(a.y + uy * 22)) Q \(f(mx)) \(f(my)) \(f(b.x - ux * 22)) \(f(b.y - uy * 22))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>\n"
            s += "<text x=\"\(f(mx))\" y=\"\(f(my))\" font-size=\"12\" fill=\"\(colour)\" text-anchor=\"middle\">\(Format.html(kind))</text>\n"
        }
        for i in 0..<n {
            let p = point(i)
            s += "<circle cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"20\" fill=\"#fff\" stroke=\"#333\"/>\n"
            s += "<text x=\"\(f(p.x))\" y=\"\(f(p.y + 4))\" font-size=\"12\" text-anchor=\"middle\">T\(cycle.nodes[i])</text>\n"
        }
        return s + "</svg>\n"
    }

    private static func f(_ x: Double) -> String { String(format: "%.1f", x) }
}
