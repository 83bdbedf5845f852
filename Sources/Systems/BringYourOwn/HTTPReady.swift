import AsyncHTTPClient
import Foundation
import NIOCore
import Systems

/// The `ready: {http: URL}` check: polls `GET URL` from the controller until it answers 2xx.
enum HTTPReady {
    /// Seconds between probes.
    static let pollIntervalSeconds = 0.2

    /// Returns once `url` answers 2xx; after `timeoutSeconds` throws with the last answer and
    /// `diagnose()` (the node's process state and log tail).
    static func wait(
        url: String, timeoutSeconds: Double, diagnose: @Sendable () async -> String, node: String
    ) async throws(SystemError) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(500), read: .seconds(1))
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeoutSeconds * 1000))
        var last = "no answer"
        let maxRounds = Int(timeoutSeconds / pollIntervalSeconds) + 2
        var ready = false
        for _ in 0..<maxRounds {
            do {
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(1))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(response.status.code) {
                    ready = true
                    break
                }
                last = "HTTP \(response.status.code)"
            } catch {
                last = String(describing: error)
            }
            if ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(Int64(pollIntervalSeconds * 1000)))
        }
        try? await client.shutdown()
        if ready { return }
        throw SystemError(
            node: node, message: "not ready after \(timeoutSeconds) s: GET \(url) answered: \(last)", detail: await diagnose())
    }
}
