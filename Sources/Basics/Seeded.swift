/// Reproducible random choices built on any generator (stable across Swift versions).
public enum Seeded {
    /// A number in `0..<bound` without modulo bias (0 when `bound` <= 1).
    public static func uniform(_ rng: inout some RandomNumberGenerator, below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let b = UInt64(bound)
        let limit = UInt64.max - (UInt64.max % b)
        // Rejection sampling: a retry has a chance below 1/2 per draw; 64 tries bound the loop.
        for _ in 0..<64 {
            let x = rng.next()
            if x < limit { return Int(x % b) }
        }
        return Int(rng.next() % b)
    }

    /// A number in `range` (inclusive).
    public static func uniform(_ rng: inout some RandomNumberGenerator, in range: ClosedRange<Int>) -> Int {
        range.lowerBound + uniform(&rng, below: range.upperBound - range.lowerBound + 1)
    }

    /// One element of an array; nil when it is empty.
    public static func pick<T>(_ items: [T], using rng: inout some RandomNumberGenerator) -> T? {
        guard !items.isEmpty else { return nil }
        return items[uniform(&rng, below: items.count)]
    }

    /// A Fisher-Yates shuffle of `items`.
    public static func shuffle<T>(_ items: [T], using rng: inout some RandomNumberGenerator) -> [T] {
        var out = items
        guard out.count > 1 else { return out }
        for i in stride(from: out.count - 1, to: 0, by: -1) {
            out.swapAt(i, uniform(&rng, below: i + 1))
        }
        return out
    }
}
