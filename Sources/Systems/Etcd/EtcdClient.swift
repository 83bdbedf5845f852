import AsyncHTTPClient
import Control
import Foundation
import Histories
import NIOCore

/// A register client for one etcd member, over the v3 JSON gateway.
///
/// | f | request | ok | fail | info |
/// |---|---|---|---|---|
/// | `read` | `POST /v3/kv/range` (linearizable unless `serializableReads`) | value read, `null` if absent | any error | never |
/// | `write v` | `POST /v3/kv/put` | | never sent, or a 4xx | timeout, reset, 5xx |
/// | `cas [e, n]` | `POST /v3/kv/txn`: value == e ⇒ put n | compare held | compare failed, never sent, 4xx | timeout, reset, 5xx |
///
/// Every request has its own deadline (`timeoutSeconds`). Clients share their factory's
/// `HTTPClient`; `close()` releases nothing, the factory's `shutdown()` does.
public struct EtcdClient: Client {
    /// The member this client talks to.
    public let node: NodeConfig
    /// `http://host:port` of the member.
    public let baseURL: String
    /// Seconds each request may take, connecting included.
    public let timeoutSeconds: Double
    /// Whether reads are serializable (served from the member's local state, may be stale).
    public let serializableReads: Bool
    let http: HTTPClient

    /// Largest response body read (a range of one key is tiny).
    static let maxBodyBytes = 4 << 20

    /// A client for `node` on `http`; `baseURL` defaults to the node's host and etcd's client port.
    public init(
        node: NodeConfig, http: HTTPClient, baseURL: String, timeoutSeconds: Double, serializableReads: Bool = false
    ) {
        self.node = node
        self.http = http
        self.baseURL = baseURL
        self.timeoutSeconds = timeoutSeconds
        self.serializableReads = serializableReads
    }

    /// Performs `read`, `write` or `cas`; never throws (errors become `fail` or `info`).
    public func invoke(_ request: ClientRequest) async -> ClientResponse {
        guard let key = request.key else {
            return ClientResponse(type: .fail, value: request.value, error: "etcd client: '\(request.f)' needs a key")
        }
        switch request.f {
        case "read":
            return await read(request, key: key)
        case "write":
            let body = EtcdGateway.putBody(key: key, value: request.value)
            return await mutate(request, path: EtcdGateway.putPath, body: body) { _ throws(EtcdGateway.Malformed) in true }
        case "cas":
            guard let pair = request.value.arrayValue, pair.count == 2 else {
                return ClientResponse(type: .fail, value: request.value, error: "cas needs [expected, new]")
            }
            let body = EtcdGateway.casBody(key: key, expected: pair[0], new: pair[1])
            return await mutate(request, path: EtcdGateway.txnPath, body: body) { text throws(EtcdGateway.Malformed) in
                try EtcdGateway.txnSucceeded(text)
            }
        default:
            return ClientResponse(type: .fail, value: request.value, error: "etcd client: unsupported operation '\(request.f)'")
        }
    }

    /// Nothing to release: the connection pool belongs to the factory.
    public func close() async {}

    private func read(_ request: ClientRequest, key: String) async -> ClientResponse {
        let body = EtcdGateway.rangeBody(key: key, serializable: serializableReads)
        switch await post(EtcdGateway.rangePath, body: body) {
        case .answer(let status, let text) where status == 200:
            do throws(EtcdGateway.Malformed) {
                return ClientResponse(type: .ok, value: try EtcdGateway.rangeValue(text))
            } catch {
                return ClientResponse(type: .fail, value: .null, error: "unreadable range response: \(error)")
            }
        case .answer(let status, let text):
            return ClientResponse(type: .fail, value: .null, error: "HTTP \(status): \(EtcdGateway.errorMessage(text))")
        case .error(let error):
            return ClientResponse(
                type: .fail, value: .null, error: EtcdOutcome.message(for: error, timeoutSeconds: timeoutSeconds))
        }
    }

    /// A write or cas: `applied(body)` says whether a 200 answer means it took effect.
    private func mutate(
        _ request: ClientRequest, path: String, body: String,
        applied: (String) throws(EtcdGateway.Malformed) -> Bool
    ) async -> ClientResponse {
        switch await post(path, body: body) {
        case .answer(let status, let text) where status == 200:
            do throws(EtcdGateway.Malformed) {
                let ok = try applied(text)
                return ClientResponse(type: ok ? .ok : .fail, value: request.value)
            } catch {
                return ClientResponse(type: .info, value: request.value, error: "unreadable response: \(error)")
            }
        case .answer(let status, let text):
            let definite = EtcdOutcome.isDefiniteRejection(status: status)
            return ClientResponse(
                type: EtcdOutcome.failureType(isRead: false, definite: definite), value: request.value,
                error: "HTTP \(status): \(EtcdGateway.errorMessage(text))")
        case .error(let error):
            return ClientResponse(
                type: EtcdOutcome.failureType(isRead: false, definite: EtcdOutcome.neverSent(error)),
                value: request.value, error: EtcdOutcome.message(for: error, timeoutSeconds: timeoutSeconds))
        }
    }

    /// POSTs a JSON body and reads the whole answer, all within the request's deadline.
    private func post(_ path: String, body: String) async -> EtcdOutcome.Result {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
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
