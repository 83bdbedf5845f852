import AsyncHTTPClient
import Basics
import Foundation
import Results
import Serve

/// `schism-bench serve [N]`: the index's response time over real HTTP with N generated run folders (default 10,000).
enum ServeBench {
    static func run(_ args: [String]) async throws {
        let count = args.first.flatMap { Int($0) } ?? 10_000
        let root = NSTemporaryDirectory() + "schism-serve-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let made = ContinuousClock.now
        try generate(count, root: root)
        print(String(format: "serve: %d run folders generated in %.1f s", count, Bench.seconds(ContinuousClock.now - made)))
        let ready = AsyncStream<Int>.makeStream()
        let server = Task { try await ResultsServer(root: root, port: 0).run(signals: false) { ready.continuation.yield($0) } }
        defer { server.cancel() }
        var it = ready.stream.makeAsyncIterator()
        guard let port = await it.next() else { throw CocoaError(.featureUnsupported) }
        var times: [Double] = []
        var bytes = 0
        for i in 0..<11 {
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/" + (i % 2 == 0 ? "" : "?verdict=invalid"))
            let t = ContinuousClock.now
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 << 20)
            times.append(Bench.seconds(ContinuousClock.now - t) * 1000)
            guard response.status == .ok else { throw CocoaError(.fileReadUnknown) }
            bytes = max(bytes, body.readableBytes)
        }
        let warm = times.dropFirst().sorted()
        print(String(format: "serve: index of %d runs: first (cold, reads every summary) %.1f ms; warm median %.1f ms, max %.1f ms (target < 100 ms); page %d bytes",
                     count, times[0], warm[warm.count / 2], warm.last ?? 0, bytes))
        server.cancel()
        _ = await server.result
    }

    /// `count` run folders under `root` as a run leaves them: test.json, a one-line history, summary.json.
    static func generate(_ count: Int, root: String) throws {
        let verdicts = ["valid", "valid", "valid", "invalid", "unknown", RunSummary.crashed]
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for i in 0..<count {
            let workload = ["etcd-register", "redis-register", "etcd-append", "postgres-rw"][i % 4]
            let date = start + Double(i) * 61
            let folder = try RunFolder.create(root: root, workload: workload, date: date)
            let record = RunRecord(
                workload: workload, seed: UInt64(i), system: String(workload.prefix { $0 != "-" }), checkers: [],
                timeLimitSeconds: 60, faults: ["partition", "kill"], startDate: ISO8601DateFormatter().string(from: date))
            try folder.write(record.json.jsonText + "\n", to: folder.testJSON)
            try folder.write("", to: folder.history)
            let verdict = verdicts[i % verdicts.count]
            guard verdict != RunSummary.crashed else { continue }
            let summary = RunSummary(
                workload: workload, system: record.system, started: record.startDate, durationSeconds: 60, faults: record.faults,
                verdict: verdict, exitCode: 0, operations: 12_000 + i, ok: 11_000)
            try folder.write(summary.json.jsonText + "\n", to: folder.summaryJSON)
        }
    }
}

/// `#require` for the benchmark: the value, or an error.
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw CocoaError(.fileReadUnknown) }
    return value
}
