import AsyncHTTPClient
import Control
import Systems
import Foundation
import NIOCore

/// Waits, with a deadline, until etcd members answer `GET /health` with `"health":"true"`.
///
/// etcd 3.4 reports healthy once the member has a leader and can serve a read, so all
/// members healthy means the cluster formed. Polls every 200 ms, each probe bounded by 1 s.
struct EtcdHealth: Sendable {
    let config: EtcdConfig

    /// Seconds between rounds of probes.
    static let pollIntervalSeconds = 0.2
    /// Seconds one probe may take.
    static let probeTimeoutSeconds: Int64 = 1

    /// Returns once every node is healthy; else throws with the first unhealthy node, the
    /// URL tried, its last answer and `diagnose(node)` (process state and log tail).
    func waitHealthy(
        _ nodes: [NodeConfig], diagnose: @Sendable (NodeConfig) async -> String
    ) async throws(SystemError) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(500), read: .seconds(Self.probeTimeoutSeconds))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome = await poll(nodes, client: client)
        try? await client.shutdown()
        guard let (node, lastAnswer) = outcome else { return }
        let url = config.clientURL(node) + "/health"
        throw SystemError(
            node: node.name,
            message: "etcd not healthy after \(config.healthTimeoutSeconds) s: GET \(url) answered: \(lastAnswer)",
            detail: await diagnose(node))
    }

    /// Polls until all are healthy (nil) or the deadline passes (an unhealthy node and its last answer).
    private func poll(_ nodes: [NodeConfig], client: HTTPClient) async -> (NodeConfig, String)? {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(config.healthTimeoutSeconds * 1000))
        var pending = nodes
        var answers: [String: String] = [:]
        let maxRounds = Int(config.healthTimeoutSeconds / Self.pollIntervalSeconds) + 2
        for _ in 0..<maxRounds {
            let results = await withTaskGroup(of: (String, String?).self) { group in
                for node in pending {
                    group.addTask { (node.name, await probe(node, client: client)) }
                }
                var out: [String: String?] = [:]
                for await (name, answer) in group { out[name] = answer }
                return out
            }
            pending = pending.filter { node in
                guard let answer = results[node.name] ?? nil else { return false }
                answers[node.name] = answer
                return true
            }
            if pending.isEmpty { return nil }
            if ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(Int64(Self.pollIntervalSeconds * 1000)))
        }
        guard let first = pending.first else { return nil }
        return (first, answers[first.name] ?? "no answer")
    }

    /// nil when healthy, else what the member answered (or the error).
    private func probe(_ node: NodeConfig, client: HTTPClient) async -> String? {
        let request = HTTPClientRequest(url: config.clientURL(node) + "/health")
        do {
            let response = try await client.execute(request, timeout: .seconds(Self.probeTimeoutSeconds))
            let body = String(buffer: try await response.body.collect(upTo: 64 * 1024))
            if response.status == .ok && body.contains("\"health\":\"true\"") { return nil }
            return "HTTP \(response.status.code) \(body.prefix(300))"
        } catch {
            return EtcdOutcome.message(for: error, timeoutSeconds: Double(Self.probeTimeoutSeconds))
        }
    }
}
