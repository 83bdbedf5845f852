extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    /// The duration in whole nanoseconds, clamped to what an `Int64` holds.
    public var nanoseconds: Int64 {
        let c = components
        let (scaled, overflow) = c.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return c.seconds < 0 ? Int64.min : Int64.max }
        return scaled &+ c.attoseconds / 1_000_000_000
    }

    /// A duration of `seconds` (fractions allowed); non-finite or huge values are clamped.
    public static func seconds(fractional seconds: Double) -> Duration {
        let ns = seconds * 1e9
        guard ns.isFinite else { return ns < 0 ? .zero : .seconds(Int64.max / 1_000_000_000) }
        return .nanoseconds(Int64(max(min(ns, 9e18), -9e18)))
    }

    /// Seconds from `30s`, `500ms`, `2m`, `1h` or a plain number; nil when it is not one.
    ///
    /// The one parser of durations in workload files and on the command line, so that both
    /// accept the same spellings.
    public static func parseSeconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let v = Double(text.dropLast(suffix.count)), v >= 0, v.isFinite else { return nil }
            return v * scale
        }
        guard let v = Double(text), v >= 0, v.isFinite else { return nil }
        return v
    }
}
