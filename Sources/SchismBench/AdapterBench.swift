import BringYourOwn
import Control
import Foundation
import Runner
import Systems

#if canImport(Glibc)
    import Glibc
#endif

/// `schism-bench adapter`: what the stdio client adapter costs per operation.
///
/// One worker at a time sends a register mix (read 2 : write 1 : cas 1 over 10 keys) for a few
/// seconds through four clients: the in-process client (no I/O: the floor), the stdio adapter
/// with the example Python client in `--memory` mode (the adapter and Python's JSON, no network),
/// Schism's http-kv client against the example server (one local node), and the stdio adapter
/// with the example client against the same server. Run from the repository's root.
enum AdapterBench {
    static let port = 17_077
    static let secondsPerCase = 3.0

    static func run() async throws {
        print("schism-bench adapter: one worker, register mix, \(Int(secondsPerCase)) s per client  [target: the stdio adapter costs < 50 us/op]")
        let server = try PipedProcess.start([
            "python3", "Workloads/examples/example_kv.py", "--node", "n1", "--listen", "127.0.0.1:\(port)", "--mode", "unsafe",
        ])
        defer { server.kill() }
        for _ in 0..<100 where !TCPProbe.canConnect(address: "127.0.0.1", port: UInt16(port), timeoutMilliseconds: 100) {
            usleep(50_000)
        }
        let node = NodeConfig(name: "n1", host: "127.0.0.1")
        let options = ClientOptions(timeoutSeconds: 1)
        let store = InMemoryRegisterStore()
        let memory = try await measure("in-process client (no I/O)", store.client())
        let stdioMemory = StdioClient(argv: ["python3", "Workloads/examples/kv_client.py", "--memory"], node: "n1", deadlineSeconds: 2)
        let adapter = try await measure("stdio -> kv_client.py --memory", stdioMemory)
        await stdioMemory.close()
        let factory = HTTPKVClientFactory(port: port)
        let direct = try await measure("http-kv client -> example_kv.py", try factory.makeClient(node: node, options: options))
        await factory.shutdown()
        let stdioHTTP = StdioClient(
            argv: ["python3", "Workloads/examples/kv_client.py", "--url", "http://127.0.0.1:\(port)", "--timeout", "1"], node: "n1",
            deadlineSeconds: 2)
        let through = try await measure("stdio -> kv_client.py -> example_kv.py", stdioHTTP)
        await stdioHTTP.close()
        print(String(format: "  adapter cost per op (median): %.1f us (stdio --memory minus in-process: pipes, JSON both ways, the client's thread)", adapter - memory))
        print(String(format: "  through the example server: %.1f us median via stdio + Python's http.client, %.1f us via Schism's http-kv client (AsyncHTTPClient)", through, direct))
    }

    /// Runs the mix through `client`; prints ops/s and percentiles; returns the median in microseconds.
    static func measure(_ label: String, _ client: any Client) async throws -> Double {
        var latencies: [Double] = []
        latencies.reserveCapacity(200_000)
        let start = ContinuousClock.now
        let end = start + .milliseconds(Int64(secondsPerCase * 1000))
        var i = 0
        var failures = 0
        while ContinuousClock.now < end, i < 2_000_000 {
            let key = String(i % 10)
            let request: ClientRequest
            switch i % 4 {
            case 0, 1: request = ClientRequest(f: "read", key: key, value: .null)
            case 2: request = ClientRequest(f: "write", key: key, value: .int(Int64(i % 5)))
            default: request = ClientRequest(f: "cas", key: key, value: [.int(Int64(i % 5)), .int(Int64((i + 1) % 5))])
            }
            let t0 = ContinuousClock.now
            let response = await client.invoke(request)
            latencies.append(Bench.seconds(ContinuousClock.now - t0) * 1e6)
            if response.type == .info { failures += 1 }
            i += 1
        }
        let elapsed = Bench.seconds(ContinuousClock.now - start)
        latencies.sort()
        func p(_ q: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] }
        print("  " + label.padding(toLength: 42, withPad: " ", startingAt: 0) + String(format: " %8.0f ops/s   p50 %7.1f us  p90 %7.1f us  p99 %7.1f us  max %8.1f us  (%d ops, %d info)",
                     Double(i) / elapsed, p(0.5), p(0.9), p(0.99), latencies.last ?? 0, i, failures))
        return p(0.5)
    }
}
