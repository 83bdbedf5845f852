#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Checkers
import Histories

/// The latency-over-time scatter plot of a run: one mark per operation at its invocation time and
/// latency (log scale), ok as green dots, fail as red crosses, info as amber triangles, faults shaded.
///
/// Bounded: marks that fall on the same pixel are drawn once, and at most `maxPoints` are kept:
/// every fail and info (up to half the budget), the slowest ok operations, then evenly spaced others.
struct LatencyPlot {
    /// One drawable operation.
    struct Point {
        var startNanos: Int64
        var latencyNanos: Int64
        var outcome: OpType
    }

    var svg: String
    /// Operations with a measurable latency, and how many marks were drawn.
    var measured: Int
    var drawn: Int
    /// Info operations never completed (no latency; not drawn).
    var openEnded: Int

    static let plotHeight = 300.0

    init(stats: RunStats, ops: OpLog, maxPoints: Int) {
        var points: [Point] = []
        points.reserveCapacity(stats.calls.count)
        var openEnded = 0
        for c in stats.calls {
            guard let done = c.completion else {
                openEnded += 1
                continue
            }
            guard let t0 = ops[c.invoke].time, let t1 = ops[done].time else { continue }
            points.append(Point(startNanos: t0, latencyNanos: max(1, t1 - t0), outcome: c.outcome))
        }
        self.openEnded = openEnded
        measured = points.count
        let frame = PlotFrame(faults: stats.faults, endNanos: stats.endNanos, plotHeight: Self.plotHeight)
        var lo = points.map(\.latencyNanos).min() ?? 1_000_000
        var hi = points.map(\.latencyNanos).max() ?? 1_000_000_000
        lo = Self.decade(below: lo)
        hi = max(Self.decade(above: hi), lo * 10)
        let logLo = log10(Double(lo)), logHi = log10(Double(hi))
        // A margin inside the frame, so that marks at the extremes are not cut by it.
        func y(_ ns: Int64) -> Double {
            frame.plotBottom - 8 - (log10(Double(max(ns, lo))) - logLo) / (logHi - logLo) * (frame.plotHeight - 16)
        }
        let kept = Self.sample(points, frame: frame, y: y, budget: max(1, maxPoints))
        drawn = kept.count

        var h = frame.open("latency", label: "Latency of \(measured) operations over time, log scale, with faults shaded")
        h += frame.faultLayer(stats.faults)
        h += "<g class=\"axis\">\n"
        var d = lo
        while d <= hi {
            let yv = y(d)
            h += "<line class=\"grid\" x1=\"\(PlotFrame.n(frame.left - 4))\" y1=\"\(PlotFrame.n(yv))\" x2=\"\(PlotFrame.n(frame.left + frame.plotWidth))\" y2=\"\(PlotFrame.n(yv))\"/>"
            h += "<text x=\"\(PlotFrame.n(frame.left - 7))\" y=\"\(PlotFrame.n(yv + 4))\" text-anchor=\"end\">\(Self.decadeText(d))</text>\n"
            if d > Int64.max / 10 { break }
            d *= 10
        }
        h += "</g>\n" + frame.timeAxis()
        if let p = stats.latency {
            for (name, v) in [("p50", p.p50Nanos), ("p99", p.p99Nanos)] {
                let yv = y(v)
                h += "<g class=\"pct\"><line x1=\"\(PlotFrame.n(frame.left))\" y1=\"\(PlotFrame.n(yv))\" x2=\"\(PlotFrame.n(frame.left + frame.plotWidth))\" y2=\"\(PlotFrame.n(yv))\"/>"
                h += "<text x=\"\(PlotFrame.n(frame.left + frame.plotWidth - 4))\" y=\"\(PlotFrame.n(yv - 3))\" text-anchor=\"end\">\(name) ok \(LatencyPercentiles.text(v))</text></g>\n"
            }
        }
        var dots = "", crosses = "", triangles = ""
        for p in kept {
            let px = PlotFrame.n(frame.x(p.startNanos)), py = y(p.latencyNanos)
            switch p.outcome {
            case .ok: dots += "M\(px) \(PlotFrame.n(py))h0"
            case .fail: crosses += "M\(px) \(PlotFrame.n(py))m-3-3l6 6m0-6l-6 6"
            default: triangles += "M\(px) \(PlotFrame.n(py - 3.5))l3.5 6h-7z"
            }
        }
        // Few marks are drawn larger and darker; many are small and translucent, so density shows.
        h += "<path class=\"pts ok\(kept.count < 2_000 ? " sparse" : "")\" d=\"\(dots)\"/>\n"
        h += "<path class=\"pts info\" d=\"\(triangles)\"/>\n"
        h += "<path class=\"pts fail\" d=\"\(crosses)\"/>\n"
        svg = h + "</svg>\n"
    }

    /// A power of ten of nanoseconds as an axis label: `100 µs`, `1 ms`, `10 s`.
    static func decadeText(_ ns: Int64) -> String {
        if ns >= 1_000_000_000 { return "\(ns / 1_000_000_000) s" }
        if ns >= 1_000_000 { return "\(ns / 1_000_000) ms" }
        if ns >= 1_000 { return "\(ns / 1_000) µs" }
        return "\(ns) ns"
    }

    /// The largest power of ten at most `ns` (at least 1).
    static func decade(below ns: Int64) -> Int64 {
        var d: Int64 = 1
        while d * 10 <= ns { d *= 10 }
        return d
    }

    /// The smallest power of ten at least `ns`.
    static func decade(above ns: Int64) -> Int64 {
        var d: Int64 = 1
        while d < ns && d < Int64.max / 10 { d *= 10 }
        return d
    }

    /// The marks to draw: one per pixel and outcome, then within `budget`: fail and info first (up to
    /// half), the slowest ok operations (a tenth of what is left), then ok ones evenly spaced in time.
    static func sample(_ points: [Point], frame: PlotFrame, y: (Int64) -> Double, budget: Int) -> [Point] {
        var seen = Set<Int64>()
        var ok: [Point] = [], other: [Point] = []
        for p in points {
            let cls: Int64 = p.outcome == .ok ? 0 : p.outcome == .fail ? 1 : 2
            let cell = (cls << 40) | (Int64(frame.x(p.startNanos).rounded()) << 20) | Int64(y(p.latencyNanos).rounded())
            guard seen.insert(cell).inserted else { continue }
            if p.outcome == .ok { ok.append(p) } else { other.append(p) }
        }
        if ok.count + other.count <= budget { return ok + other }
        let keptOther = spaced(other, max(budget / 2, budget - ok.count))
        let okBudget = budget - keptOther.count
        guard ok.count > okBudget else { return ok + keptOther }
        let slowCount = okBudget / 10
        let order = ok.indices.sorted { ok[$0].latencyNanos > ok[$1].latencyNanos }
        var keep = Set(order.prefix(slowCount))
        let rest = ok.indices.filter { !keep.contains($0) }
        for i in spaced(rest, okBudget - keep.count) { keep.insert(i) }
        return keep.sorted().map { ok[$0] } + keptOther
    }

    /// At most `n` elements of `items`, evenly spaced.
    static func spaced<T>(_ items: [T], _ n: Int) -> [T] {
        guard items.count > n else { return items }
        guard n > 0 else { return [] }
        return (0..<n).map { items[$0 * items.count / n] }
    }
}
