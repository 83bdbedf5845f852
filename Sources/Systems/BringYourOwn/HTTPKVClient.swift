import AsyncHTTPClient
import Basics
import Control
import Etcd
import Foundation
import NIOCore
import Synchronization
import Systems

/// Schism's client for the http-kv protocol (docs/client-protocol.md), for servers built for testing.
///
/// | f | request | ok | fail | info |
/// |---|---|---|---|---|
/// | `read` | `GET /kv/<key>` | 200 `{"value": V}` | anything else | never |
/// | `write v` | `PUT /kv/<key>` `{"value": v}` | 200 | never sent, 503 | timeout, reset, other status |
/// | `cas [e, n]` | `POST /cas/<key>` `{"expected": e, "value": n}` | 200 | 409 (compare failed), never sent, 503 | timeout, reset, other status |
///
/// Keys are percent-encoded in the path; values are any JSON.
public struct HTTPKVClient: Client {
    /// `http://host:port` of the node's server.
    public let baseURL: String
    /// Seconds each request may take.
    public let timeoutSeconds: Double
    /// Put before every key.
    public let keyPrefix: String
    let http: HTTPClient

    static let maxBodyBytes = 4 << 20
    private static let keyCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))

    /// A client of the server at `baseURL` on `http`.
    public init(http: HTTPClient, baseURL: String, timeoutSeconds: Double, keyPrefix: String = "") {
        self.http = http
        self.baseURL = baseURL
        self.timeoutSeconds = timeoutSeconds
        self.keyPrefix = keyPrefix
    }

    /// Performs `read`, `write` or `cas`; never throws.
    public func invoke(_ request: ClientRequest) async -> ClientResponse {
        guard let key = request.key.map({ keyPrefix + $0 }),
            let encoded = key.addingPercentEncoding(withAllowedCharacters: Self.keyCharacters)
        else {
            return ClientResponse(type: .fail, value: request.value, error: "http-kv client: '\(request.f)' needs a key")
        }
        let isRead = request.f == "read"
        let outcome: EtcdOutcome.Result
        switch request.f {
        case "read":
            outcome = await send(.get, "/kv/" + encoded, body: nil)
        case "write":
            outcome = await send(.put, "/kv/" + encoded, body: .object(["value": request.value]))
        case "cas":
            guard let pair = request.value.arrayValue, pair.count == 2 else {
                return ClientResponse(type: .fail, value: request.value, error: "cas needs [expected, new]")
            }
            outcome = await send(.post, "/cas/" + encoded, body: .object(["expected": pair[0], "value": pair[1]]))
        default:
            return ClientResponse(type: .fail, value: request.value, error: "http-kv client: unsupported operation '\(request.f)'")
        }
        switch outcome {
        case .answer(200, let text):
            guard isRead else { return ClientResponse(type: .ok, value: request.value) }
            guard case .object(let o)? = try? JSONValue.parse(text) else {
                return ClientResponse(type: .fail, value: .null, error: "unreadable answer: \(text.prefix(200))")
            }
            return ClientResponse(type: .ok, value: o["value"] ?? .null, version: o["version"]?.intValue)
        case .answer(let status, let text):
            let definite = isRead || status == 409 || status == 503
            return ClientResponse(type: definite ? .fail : .info, value: isRead ? .null : request.value, error: "HTTP \(status): \(text.prefix(200))")
        case .error(let error):
            let definite = isRead || EtcdOutcome.neverSent(error)
            return ClientResponse(
                type: definite ? .fail : .info, value: isRead ? .null : request.value,
                error: EtcdOutcome.message(for: error, timeoutSeconds: timeoutSeconds))
        }
    }

    /// Nothing to release: the pool belongs to the factory.
    public func close() async {}

    private enum Verb { case get, put, post }

    private func send(_ verb: Verb, _ path: String, body: JSONValue?) async -> EtcdOutcome.Result {
        var request = HTTPClientRequest(url: baseURL + path)
        switch verb {
        case .get: request.method = .GET
        case .put: request.method = .PUT
        case .post: request.method = .POST
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.jsonText))
        }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeoutSeconds * 1e9))
        do {
            let response = try await http.execute(request, deadline: deadline)
            let bytes = try await response.body.collect(upTo: Self.maxBodyBytes)
            return .answer(status: Int(response.status.code), body: String(buffer: bytes))
        } catch {
            return .error(error)
        }
    }
}

/// Makes ``HTTPKVClient``s that share one connection pool; ``shutdown()`` releases it.
public final class HTTPKVClientFactory: ClientFactory {
    /// The server's port on every node.
    public let port: Int
    private let http = Mutex<HTTPClient?>(nil)

    /// A factory for servers on `port`.
    public init(port: Int) {
        self.port = port
    }

    /// A client of `node`'s server.
    public func makeClient(node: NodeConfig, options: ClientOptions) throws(SystemError) -> any Client {
        guard options.timeoutSeconds > 0, options.timeoutSeconds.isFinite else {
            throw SystemError(node: node.name, message: "client timeout must be positive, got \(options.timeoutSeconds)")
        }
        let host = node.host.contains(":") && !node.host.hasPrefix("[") ? "[\(node.host)]" : node.host
        return HTTPKVClient(
            http: shared(), baseURL: "http://\(host):\(port)", timeoutSeconds: options.timeoutSeconds, keyPrefix: options.keyPrefix)
    }

    /// Closes every connection.
    public func shutdown() async {
        let client = http.withLock { current in
            defer { current = nil }
            return current
        }
        try? await client?.shutdown()
    }

    private func shared() -> HTTPClient {
        http.withLock { current in
            if let current { return current }
            var configuration = HTTPClient.Configuration()
            configuration.timeout = .init(connect: .milliseconds(500))
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.redirectConfiguration = .disallow
            configuration.httpVersion = .http1Only
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            current = client
            return client
        }
    }
}
