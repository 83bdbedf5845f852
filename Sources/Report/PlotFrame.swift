import Basics

/// The frame shared by a run report's plots: a time axis from the test's start, a strip with one row
/// per kind of fault above the plot area, and the fault intervals shaded across it.
///
/// Builds SVG markup as text (the plots need no script). Coordinates are in the SVG's own units;
/// the page scales the drawing to its width.
struct PlotFrame {
    let width = 1200.0
    let left = 72.0
    let right = 18.0
    let rowHeight = 13.0
    /// Kinds of faults, one strip row each, in order of first start.
    let kinds: [String]
    let plotTop: Double
    let plotHeight: Double
    /// The x range, nanoseconds since the test started.
    let t0: Int64
    let t1: Int64
    /// Fault intervals drawn at most, so that a run with thousands of faults stays small.
    static let maxFaults = 2_000

    init(faults: [FaultInterval], endNanos: Int64, plotHeight: Double) {
        kinds = FaultInterval.kinds(faults)
        plotTop = 8 + Double(kinds.count) * rowHeight + (kinds.isEmpty ? 0 : 6)
        self.plotHeight = plotHeight
        t0 = 0
        t1 = max(endNanos, 1_000_000)
    }

    var plotWidth: Double { width - left - right }
    var plotBottom: Double { plotTop + plotHeight }
    /// The whole drawing's height: the plot and the time axis's labels under it.
    var height: Double { plotBottom + 34 }

    /// The x coordinate of a time.
    func x(_ ns: Int64) -> Double {
        left + Double(ns - t0) / Double(t1 - t0) * plotWidth
    }

    /// A coordinate as short text: one decimal, no trailing `.0`.
    static func n(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = tenths.magnitude
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// The opening `<svg>` tag, with an accessible label.
    func open(_ cls: String, label: String) -> String {
        "<svg class=\"plot \(cls)\" viewBox=\"0 0 \(PlotFrame.n(width)) \(PlotFrame.n(height))\" "
            + "role=\"img\" aria-label=\"\(Format.html(label))\" data-t1=\"\(t1)\" "
            + "data-left=\"\(PlotFrame.n(left))\" data-width=\"\(PlotFrame.n(plotWidth))\" "
            + "data-top=\"\(PlotFrame.n(plotTop))\" data-height=\"\(PlotFrame.n(plotHeight))\">\n"
    }

    /// The fault strip and the shading of each interval across the plot area (drawn under the data).
    func faultLayer(_ faults: [FaultInterval]) -> String {
        guard !kinds.isEmpty else { return "" }
        var h = "<g class=\"faults\">\n"
        for (k, kind) in kinds.enumerated() {
            let y = 8 + Double(k) * rowHeight
            h += "<text class=\"fault-label\" x=\"\(PlotFrame.n(left - 6))\" y=\"\(PlotFrame.n(y + rowHeight - 3))\" "
            h += "text-anchor=\"end\">\(Format.html(Format.cut(kind, 14)))</text>\n"
        }
        for f in faults.prefix(PlotFrame.maxFaults) {
            guard let row = kinds.firstIndex(of: f.kind) else { continue }
            let x1 = x(f.startNanos)
            let w = max(2, x(f.endNanos) - x1)
            let colour = f.colour
            let title = Format.html(Self.describe(f))
            h += "<g><title>\(title)</title>"
            h += "<rect x=\"\(PlotFrame.n(x1))\" y=\"\(PlotFrame.n(8 + Double(row) * rowHeight + 1))\" width=\"\(PlotFrame.n(w))\" "
            h += "height=\"\(PlotFrame.n(rowHeight - 2))\" fill=\"\(colour)\"\(f.isOpen ? " class=\"open\"" : "")/>"
            h += "<rect x=\"\(PlotFrame.n(x1))\" y=\"\(PlotFrame.n(plotTop))\" width=\"\(PlotFrame.n(w))\" "
            h += "height=\"\(PlotFrame.n(plotHeight))\" fill=\"\(colour)\" fill-opacity=\"0.11\"/></g>\n"
        }
        return h + "</g>\n"
    }

    /// One line on a fault: `partition from 10.000 s to 25.000 s (15.000 s): {"n1":["n2"]}`.
    static func describe(_ f: FaultInterval) -> String {
        var s = f.kind
        if f.isInstant {
            s += " at \(Format.time(ns: f.startNanos))"
        } else {
            s += f.startIndex == nil ? " (no start recorded) until" : " from \(Format.time(ns: f.startNanos)) to"
            s += f.isOpen ? " the end (never stopped)" : " \(Format.time(ns: f.endNanos))"
            s += " (\(Format.elapsed(Double(f.endNanos - f.startNanos) / 1e9)))"
        }
        if !f.summary.isEmpty { s += ": \(f.summary)" }
        if let stop = f.stopSummary { s += "; stop: \(stop)" }
        return s
    }

    /// The time axis: a frame around the plot area, ticks and labels in seconds at a round step.
    func timeAxis() -> String {
        let span = Double(t1 - t0) / 1e9
        let step = PlotFrame.niceStep(span / 10)
        var h = "<g class=\"axis\">\n"
        var v = 0.0
        while v <= span + step * 1e-9 {
            let xv = x(t0 + Int64(v * 1e9))
            h += "<line class=\"grid\" x1=\"\(PlotFrame.n(xv))\" y1=\"\(PlotFrame.n(plotTop))\" x2=\"\(PlotFrame.n(xv))\" y2=\"\(PlotFrame.n(plotBottom + 4))\"/>"
            h += "<text x=\"\(PlotFrame.n(xv))\" y=\"\(PlotFrame.n(plotBottom + 16))\" text-anchor=\"middle\">\(PlotFrame.seconds(v, step))</text>\n"
            v += step
        }
        h += "<text x=\"\(PlotFrame.n(left + plotWidth))\" y=\"\(PlotFrame.n(plotBottom + 30))\" text-anchor=\"end\">seconds since the test started</text>\n"
        h += "<rect class=\"frame\" x=\"\(PlotFrame.n(left))\" y=\"\(PlotFrame.n(plotTop))\" width=\"\(PlotFrame.n(plotWidth))\" height=\"\(PlotFrame.n(plotHeight))\"/>\n"
        return h + "</g>\n"
    }

    /// A round step (1, 2 or 5 times a power of ten) at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var p = 1.0
        while p > raw { p /= 10 }
        while p * 10 <= raw { p *= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where p * m >= raw { return p * m }
        return p * 10
    }

    /// `12 s`, `0.5 s`: seconds with as many decimals as the step needs.
    static func seconds(_ v: Double, _ step: Double) -> String {
        let digits = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3
        return LatencyPercentiles.fixed(v, digits)
    }
}
