import Basics

/// The throughput-over-time plot of a run: completions per second (ok, fail, info) per bucket, with
/// faults shaded.
///
/// A long run has more buckets than the plot has room for: consecutive buckets are then averaged
/// so that at most `maxSegments` are drawn (a ten-hour run draws 1,200 segments, not 36,000).
struct ThroughputPlot {
    var svg: String
    /// How many of the run's buckets each drawn point averages.
    var bucketsPerPoint: Int

    static let plotHeight = 170.0
    static let maxSegments = 1_200

    init(stats: RunStats) {
        let frame = PlotFrame(faults: stats.faults, endNanos: stats.endNanos, plotHeight: Self.plotHeight)
        let group = max(1, (stats.buckets.count + Self.maxSegments - 1) / Self.maxSegments)
        bucketsPerPoint = group
        var rates: [(ok: Double, fail: Double, info: Double)] = []
        var k = 0
        while k < stats.buckets.count {
            // The last bucket ends with the history: its rate is over the time it covers, unless that
            // is under half a bucket (a few operations in a sliver would look like a burst).
            let start = Int64(k) * stats.bucketNanos, full = stats.bucketNanos * Int64(group)
            let covered = min(full, stats.endNanos - start)
            let seconds = Double(covered * 2 >= full ? covered : full) / 1e9
            var sum = OutcomeCounts()
            for b in stats.buckets[k..<min(k + group, stats.buckets.count)] {
                sum.ok += b.ok
                sum.fail += b.fail
                sum.info += b.info
            }
            rates.append((Double(sum.ok) / seconds, Double(sum.fail) / seconds, Double(sum.info) / seconds))
            k += group
        }
        let top = PlotFrame.niceCeiling(rates.map { max($0.ok, $0.fail, $0.info) }.max() ?? 1)
        func y(_ v: Double) -> Double { frame.plotBottom - v / top * frame.plotHeight }

        var h = frame.open("throughput", label: "Completions per second over time, with faults shaded")
        h += frame.faultLayer(stats.faults)
        h += "<g class=\"axis\">\n"
        let step = PlotFrame.niceStep(top / 4)
        var v = 0.0
        while v <= top + step * 1e-9 {
            let yv = y(v)
            h += "<line class=\"grid\" x1=\"\(PlotFrame.n(frame.left - 4))\" y1=\"\(PlotFrame.n(yv))\" x2=\"\(PlotFrame.n(frame.left + frame.plotWidth))\" y2=\"\(PlotFrame.n(yv))\"/>"
            h += "<text x=\"\(PlotFrame.n(frame.left - 7))\" y=\"\(PlotFrame.n(yv + 4))\" text-anchor=\"end\">\(PlotFrame.seconds(v, step))/s</text>\n"
            v += step
        }
        h += "</g>\n" + frame.timeAxis()
        let width = stats.bucketNanos * Int64(group)
        for (name, pick) in [("info", { (r: (ok: Double, fail: Double, info: Double)) in r.info }),
                             ("fail", { $0.fail }), ("ok", { $0.ok })] {
            guard rates.contains(where: { pick($0) > 0 }) else { continue }
            // A step line: each bucket's rate held across its width.
            var d = ""
            for (i, r) in rates.enumerated() {
                let x1 = frame.x(Int64(i) * width), x2 = frame.x(min(frame.t1, Int64(i + 1) * width))
                d += (i == 0 ? "M" : "L") + "\(PlotFrame.n(x1)) \(PlotFrame.n(y(pick(r))))H\(PlotFrame.n(x2))"
            }
            h += "<path class=\"rate \(name)\" d=\"\(d)\"/>\n"
        }
        svg = h + "</svg>\n"
    }
}

extension PlotFrame {
    /// A round number (1, 2 or 5 times a power of ten, or a multiple of the step) at least `v`.
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        let step = niceStep(v / 4)
        return (v / step).rounded(.up) * step
    }
}
