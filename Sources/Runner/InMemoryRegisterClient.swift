import Basics
import Systems
import Histories
import Synchronization

/// An in-process register store and its clients: linearizable by construction, or stale on purpose.
///
/// Used for the runner's own ceiling (`schism-bench runner`) and for tests of the whole pipeline
/// without a cluster: with `staleReadEvery` set, every n-th read returns the value the key held
/// five writes ago, as a replica that lags behind would.
public final class InMemoryRegisterStore: Sendable {
    private let state = Mutex((values: [String: JSONValue](), previous: [String: [JSONValue]](), reads: 0))
    private static let lag = 5
    /// Every n-th read returns the value from five writes before (0: never).
    public let staleReadEvery: Int

    public init(staleReadEvery: Int = 0) {
        self.staleReadEvery = staleReadEvery
    }

    /// Applies a request atomically.
    public func apply(_ request: ClientRequest) -> ClientResponse {
        let key = request.key ?? ""
        return state.withLock { s in
            let current = s.values[key] ?? .null
            switch request.f {
            case "read":
                s.reads += 1
                if staleReadEvery > 0, s.reads % staleReadEvery == 0, let old = s.previous[key],
                    old.count >= Self.lag {
                    return ClientResponse(type: .ok, value: old[old.count - Self.lag])
                }
                return ClientResponse(type: .ok, value: current)
            case "write":
                remember(&s.previous, key, current)
                s.values[key] = request.value
                return ClientResponse(type: .ok, value: request.value)
            case "cas":
                guard let pair = request.value.arrayValue, pair.count == 2, pair[0] == current else {
                    return ClientResponse(type: .fail, value: request.value, error: "compare failed")
                }
                remember(&s.previous, key, current)
                s.values[key] = pair[1]
                return ClientResponse(type: .ok, value: request.value)
            default:
                return ClientResponse(type: .fail, value: request.value, error: "unknown function \(request.f)")
            }
        }
    }

    private func remember(_ previous: inout [String: [JSONValue]], _ key: String, _ value: JSONValue) {
        guard staleReadEvery > 0 else { return }
        previous[key, default: []].append(value)
        if previous[key, default: []].count > Self.lag { previous[key]?.removeFirst() }
    }

    /// A client of this store.
    public func client() -> any Client { InMemoryClient(store: self) }
}

/// A client that applies requests to an `InMemoryRegisterStore` without any I/O.
struct InMemoryClient: Client {
    let store: InMemoryRegisterStore

    func invoke(_ request: ClientRequest) async -> ClientResponse { store.apply(request) }

    func close() async {}
}
