import Basics
import Testing
@testable import SchismFuzz

/// The differential fuzz target's own generator and brute force, on seeded random bytes.
struct DifferentialTargetTests {
    @Test func generatedHistoriesHaveBothVerdictsAndTheSearchAgrees() {
        var rng = SplitMix(seed: 20261202)
        var valid: [String: Int] = [:]
        var invalid: [String: Int] = [:]
        for _ in 0..<3_000 {
            let bytes = (0..<48).map { _ in UInt8(rng.next(below: 256)) }
            guard let outcome = Differential.outcome(bytes) else { continue }
            #expect(!outcome.disagree, "\(outcome.model): \(outcome.ops.map(\.jsonLine).joined(separator: "\n"))")
            if outcome.bruteForce { valid[outcome.model, default: 0] += 1 } else { invalid[outcome.model, default: 0] += 1 }
        }
        // Every model must see both verdicts often, or the target proves little.
        for model in ["cas-register", "mutex", "kv"] {
            #expect(valid[model, default: 0] > 100, "\(model): \(valid[model, default: 0]) valid")
            #expect(invalid[model, default: 0] > 100, "\(model): \(invalid[model, default: 0]) invalid")
        }
    }
}
