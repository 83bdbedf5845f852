import AsyncHTTPClient
import Control
import Systems
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
/// Every `ok` completion carries the key's version (``ClientResponse/version``): a read its
/// `mod_revision` (0 when the key does not exist), a write or a cas that held the revision of
/// its own write (the response header's `revision`).
///
/// Every key is sent as `keyPrefix + key` (the run's namespace), so runs against a shared,
/// long-lived etcd never see each other's data; the history keeps the short key and values are
/// unchanged. Every request has its own deadline (`timeoutSeconds`). Clients share their
/// factory's `HTTPClient`; `close()` releases nothing, the factory's `shutdown()` does.
public struct EtcdClient: Client {
    /// The member this client talks to.
    public let node: NodeConfig
    /// `http://host:port` of the member.
    public let baseURL: String
    /// Seconds each request may take, connecting included.
    public let timeoutSeconds: Double
    /// Put before every key sent to etcd.
    public let keyPrefix: String
    /// Whether reads are serializable (served from the member's local state, may be stale).
    public let serializableReads: Bool
    /// Whether a transaction's read of an absent key gives `[]` (list-append) rather than `null`
    /// (rw-register).
    public let listReads: Bool
    let http: HTTPClient

    /// Largest response body read (a range of one key is tiny).
    static let maxBodyBytes = 4 << 20

    /// A client for the member at `baseURL` (`http://host:port`) on `http`.
    public init(
        node: NodeConfig, http: HTTPClient, baseURL: String, timeoutSeconds: Double, keyPrefix: String = "",
        serializableReads: Bool = false, listReads: Bool = true
    ) {
        self.listReads = listReads
        self.node = node
        self.http = http
        self.baseURL = baseURL
        self.timeoutSeconds = timeoutSeconds
        self.keyPrefix = keyPrefix
        self.serializableReads = serializableReads
    }

    /// Performs `read`, `write`, `cas` or `txn` (``transact(_:)``); never throws (errors become `fail` or `info`).
    public func invoke(_ request: ClientRequest) async -> ClientResponse {
        if request.f == "txn" { return await transact(request) }
        let gateway: (path: String, body: String)
        switch gatewayRequest(request) {
        case .success(let r): gateway = r
        case .failure(let refusal): return ClientResponse(type: .fail, value: request.value, error: refusal.message)
        }
        if request.f == "read" { return await read(gateway.path, body: gateway.body) }
        return await mutate(request, path: gateway.path, body: gateway.body) { text throws(EtcdGateway.Malformed) in
            let applied = request.f == "cas" ? try EtcdGateway.txnSucceeded(text) : true
            return (applied, applied ? try EtcdGateway.headerRevision(text) : nil)
        }
    }

    /// Why a request cannot be sent (it then fails: it certainly took no effect).
    struct Refusal: Error {
        var message: String
    }

    /// The gateway path and JSON body of `request`, its key under ``keyPrefix``.
    func gatewayRequest(_ request: ClientRequest) -> Result<(path: String, body: String), Refusal> {
        guard let key = request.key.map({ keyPrefix + $0 }) else {
            return .failure(Refusal(message: "etcd client: '\(request.f)' needs a key"))
        }
        switch request.f {
        case "read":
            return .success((EtcdGateway.rangePath, EtcdGateway.rangeBody(key: key, serializable: serializableReads)))
        case "write":
            return .success((EtcdGateway.putPath, EtcdGateway.putBody(key: key, value: request.value)))
        case "cas":
            guard let pair = request.value.arrayValue, pair.count == 2 else {
                return .failure(Refusal(message: "cas needs [expected, new]"))
            }
            return .success((EtcdGateway.txnPath, EtcdGateway.casBody(key: key, expected: pair[0], new: pair[1])))
        default:
            return .failure(Refusal(message: "etcd client: unsupported operation '\(request.f)'"))
        }
    }

    /// Nothing to release: the connection pool belongs to the factory.
    public func close() async {}

    private func read(_ path: String, body: String) async -> ClientResponse {
        switch await post(path, body: body) {
        case .answer(let status, let text) where status == 200:
            do throws(EtcdGateway.Malformed) {
                let (value, version) = try EtcdGateway.rangeResult(text)
                return ClientResponse(type: .ok, value: value, version: version)
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

    /// A write or cas: `applied(body)` says whether a 200 answer means it took effect, and the
    /// revision of the write when it did.
    private func mutate(
        _ request: ClientRequest, path: String, body: String,
        applied: (String) throws(EtcdGateway.Malformed) -> (Bool, Int64?)
    ) async -> ClientResponse {
        switch await post(path, body: body) {
        case .answer(let status, let text) where status == 200:
            do throws(EtcdGateway.Malformed) {
                let (ok, version) = try applied(text)
                return ClientResponse(type: ok ? .ok : .fail, value: request.value, version: version)
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
    func post(_ path: String, body: String, deadline given: NIODeadline? = nil) async -> EtcdOutcome.Result {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let deadline = given ?? NIODeadline.now() + .nanoseconds(Int64(timeoutSeconds * 1e9))
        do {
            let response = try await http.execute(request, deadline: deadline)
            let bytes = try await response.body.collect(upTo: Self.maxBodyBytes)
            return .answer(status: Int(response.status.code), body: String(buffer: bytes))
        } catch {
            return .error(error)
        }
    }
}
