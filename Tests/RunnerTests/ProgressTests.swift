@testable import Runner
import Testing

/// The progress bar and line of `schism test`, as the terminal and the logs show them.
@Suite("Progress")
struct ProgressTests {
    @Test("the bar fills with the time, shows what is left, the rate, the counts and the active faults")
    func bar() {
        let s = Progress.Status(elapsed: 15, limit: 60, ok: 2150, fail: 3, info: 1, rate: 180.4, faults: ["partition(n1,n2)"])
        #expect(s.bar == "[#####---------------]   15 s,  45 s left | 180 ops/s | 2150 ok, 3 fail, 1 info | faults: partition(n1,n2)")
        #expect(s.line == "[  15.0 s,  45.0 s left] 2154 ops: 2150 ok, 3 fail, 1 info; 180 ops/s; faults: partition(n1,n2)")
        let over = Progress.Status(elapsed: 70, limit: 60, ok: 0, fail: 0, info: 0, rate: 0, faults: [])
        #expect(over.bar.hasPrefix("[####################]   70 s,   0 s left"))
        #expect(over.bar.hasSuffix("faults: none"))
    }
}
