import Checkers
import Histories
import Report
import Testing

@Suite("Run statistics")
struct RunStatsTests {
    @Test("exact nearest-rank percentiles, counts per function and throughput buckets")
    func knownLatencies() throws {
        var b = TimedBuilder()
        // 1,000 ok reads with latencies of 1, 2, ..., 1,000 µs, one after another from 0.
        var t: Int64 = 0
        for i in 1...1000 {
            b.client(0, .invoke, "read", nanos: t)
            t += Int64(i) * 1_000
            b.client(0, .ok, "read", nanos: t, .int(0))
        }
        // t is now 500.5 ms. Two writes of 40 ms and 60 ms in the second bucket, overlapping.
        b.client(1, .invoke, "write", at: 1_100, .int(1))
        b.client(2, .invoke, "write", at: 1_120, .int(2))
        b.client(1, .ok, "write", at: 1_140, .int(1))
        b.client(2, .ok, "write", at: 1_180, .int(2))
        // A failed cas and an unknown write in the fourth bucket (the third is empty), and one never completed.
        b.client(3, .invoke, "cas", at: 3_000, .array([.int(0), .int(1)]))
        b.client(3, .fail, "cas", at: 3_001, .array([.int(0), .int(1)]))
        b.client(4, .invoke, "write", at: 3_100, .int(3))
        b.client(4, .info, "write", at: 3_900, .int(3))
        b.client(5, .invoke, "read", at: 3_950)
        let s = try RunStats(history: b.history)

        #expect(s.counts == OutcomeCounts(ok: 1002, fail: 1, info: 2))
        #expect(s.functions == ["read", "write", "cas"])
        #expect(s.countsByFunction["read"] == OutcomeCounts(ok: 1000, fail: 0, info: 1))
        #expect(s.countsByFunction["write"] == OutcomeCounts(ok: 2, fail: 0, info: 1))
        #expect(s.countsByFunction["cas"] == OutcomeCounts(ok: 0, fail: 1, info: 0))

        let reads = try #require(s.latencyByFunction["read"])
        #expect(reads.count == 1000)
        #expect(reads.minNanos == 1_000)
        #expect(reads.p50Nanos == 500_000)
        #expect(reads.p90Nanos == 900_000)
        #expect(reads.p99Nanos == 990_000)
        #expect(reads.p999Nanos == 999_000)
        #expect(reads.maxNanos == 1_000_000)
        let writes = try #require(s.latencyByFunction["write"])
        #expect(writes.count == 2)
        #expect(writes.p50Nanos == 40_000_000)  // rank ⌈0.5 · 2⌉ = 1
        #expect(writes.p90Nanos == 60_000_000)
        #expect(s.latencyByFunction["cas"] == nil)  // no ok cas
        let all = try #require(s.latency)
        #expect(all.count == 1002)
        #expect(all.p50Nanos == 501_000)  // rank 501 of 1..1000 µs, 40 ms, 60 ms
        #expect(all.p999Nanos == 40_000_000)  // rank ⌈1001.0⌉ = 1001
        #expect(all.maxNanos == 60_000_000)

        #expect(s.buckets == [
            OutcomeCounts(ok: 1000), OutcomeCounts(ok: 2), OutcomeCounts(), OutcomeCounts(fail: 1, info: 1),
        ])
        #expect(s.okPerSecondByBucket == [1000, 2, 0, 0])
        #expect(s.clientSpanNanos == 0...3_900_000_000)
        #expect(s.okPerSecond == 1002 / 3.9)
        #expect(s.faults.isEmpty)
    }

    @Test("percentiles of small sets, and none of an empty one")
    func smallSets() {
        #expect(LatencyPercentiles(unsorted: []) == nil)
        let one = LatencyPercentiles(unsorted: [7])
        #expect(one?.p50Nanos == 7 && one?.p999Nanos == 7 && one?.maxNanos == 7)
        let ten = LatencyPercentiles(unsorted: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
        #expect(ten?.p50Nanos == 5)
        #expect(ten?.p90Nanos == 9)
        #expect(ten?.p99Nanos == 10)
        #expect(ten?.meanNanos == 5)
    }

    @Test("fault intervals: starts pair with stops by kind; an unclosed start runs to the end")
    func faultPairing() throws {
        var b = TimedBuilder()
        b.nemesis("start-partition", at: 900, type: .invoke)  // the invocation: not yet in effect
        b.nemesis("start-partition", at: 1_000, .object(["n1": .array([.string("n2")])]))
        b.client(0, .invoke, "read", at: 1_500)
        b.nemesis("start-kill", at: 2_000, .array([.string("n3")]))
        b.nemesis("stop-partition", at: 3_000)
        b.nemesis("stop-pause", at: 3_500, .string("resumed"))  // no start recorded
        b.nemesis("start-clock", at: 3_600, type: .fail)  // did not take effect
        b.nemesis("bump", at: 4_000, .int(5))
        b.client(0, .ok, "read", at: 6_000, .int(0))
        let s = try RunStats(history: b.history)
        #expect(s.endNanos == 6_000_000_000)
        #expect(s.faults.map(\.kind) == ["pause", "partition", "kill", "bump"])
        let byKind = Dictionary(uniqueKeysWithValues: s.faults.map { ($0.kind, $0) })

        let p = try #require(byKind["partition"])
        #expect(p.startIndex == 1 && p.stopIndex == 4)
        #expect(p.startNanos == 1_000_000_000 && p.endNanos == 3_000_000_000)
        #expect(p.summary == #"{"n1":["n2"]}"#)
        #expect(!p.isOpen && !p.isInstant)

        let k = try #require(byKind["kill"])
        #expect(k.isOpen)
        #expect(k.stopIndex == nil)
        #expect(k.endNanos == 6_000_000_000)  // to the end of the history

        let pause = try #require(byKind["pause"])
        #expect(pause.startIndex == nil && pause.stopIndex == 5)
        #expect(pause.startNanos == 900_000_000)  // the history's first time
        #expect(pause.stopSummary == #""resumed""#)
        #expect(!pause.isOpen)

        let bump = try #require(byKind["bump"])
        #expect(bump.isInstant && bump.startNanos == bump.endNanos)
        #expect(s.faultNanos("partition") == 2_000_000_000)
    }

    @Test("a stop closes every open interval of its kind")
    func stopClosesAll() throws {
        var b = TimedBuilder()
        b.nemesis("start-kill", at: 100, .array([.string("n1")]))
        b.nemesis("start-kill", at: 200, .array([.string("n2")]))
        b.nemesis("stop-kill", at: 300)
        b.nemesis("start-kill", at: 400)
        let f = FaultInterval.intervals(in: OpLog(b.ops))
        #expect(f.map(\.stopIndex) == [2, 2, nil])
        #expect(f.map(\.endNanos) == [300_000_000, 300_000_000, 400_000_000])
        #expect(f.map(\.isOpen) == [false, false, true])
    }

    @Test("histories that do not pair up are reported, not guessed at")
    func pairingError() {
        var b = TimedBuilder()
        b.client(0, .ok, "read", at: 1)
        #expect(throws: PairingError.self) { try RunStats(history: b.history) }
    }
}
