import Basics
import Control
import Histories

/// One operation a worker asks a client to perform.
///
/// A single-key operation names its key; an operation over several keys (a transaction) leaves
/// `key` nil and carries its micro-operations, each with its key, in `value`
/// (e.g. `[["append","k1",3],["r","k2",null]]`).
public struct ClientRequest: Sendable, Hashable {
    /// The function: `read`, `write` or `cas` for registers, `txn` for transactions, ...
    public var f: String
    /// The key of a single-key operation.
    public var key: String?
    /// `null` for reads, the value for writes, `[expected, new]` for cas, micro-operations for `txn`.
    public var value: JSONValue

    public init(f: String, key: String?, value: JSONValue) {
        self.f = f
        self.key = key
        self.value = value
    }
}

/// How an operation ended, as it goes into the history.
public struct ClientResponse: Sendable, Hashable {
    /// `ok` (took effect), `fail` (certainly did not) or `info` (may have: timeouts, resets).
    public var type: OpType
    /// The value read, or the request's value.
    public var value: JSONValue
    public var error: String?
    /// The key's version after this operation, when the system reports one: a number the system
    /// guarantees increases with every write to the key (etcd's `mod_revision`), so a read's
    /// version names the write it saw. A read of a never-written key has version 0. Nil when the
    /// system gave none (and always for `fail` and `info`). Recorded as the completion's `version`.
    public var version: Int64?

    public init(type: OpType, value: JSONValue, error: String? = nil, version: Int64? = nil) {
        self.type = type
        self.value = value
        self.error = error
        self.version = version
    }
}

/// A connection from one worker to one node of the system under test.
///
/// `invoke` never throws: every outcome, including a client-side error, is a response, and
/// anything that may have taken effect must be `info`, never `fail`.
public protocol Client: Sendable {
    func invoke(_ request: ClientRequest) async -> ClientResponse
    /// Releases the connection.
    func close() async
}

/// Makes clients for a system; the runner asks for one per worker.
public protocol ClientFactory: Sendable {
    /// A client bound to `node`, with a per-request timeout and the run's key namespace.
    func makeClient(node: NodeConfig, options: ClientOptions) throws(SystemError) -> any Client
    /// Releases what the factory holds (connection pools); call once, after the last request.
    func shutdown() async
}

/// How a client talks to the system for one run.
public struct ClientOptions: Sendable, Hashable {
    /// Seconds before a request's outcome is unknown (`info`).
    public var timeoutSeconds: Double
    /// Put before every key the client sends to the system, so that runs against a shared,
    /// long-lived system never read each other's data. The history keeps the short key.
    public var keyPrefix: String
    /// The workload kind the clients run (e.g. `list-append`), for clients whose storage
    /// depends on it (a table per kind); empty when unknown.
    public var workloadKind: String
    /// Every node of the run, in order, for clients of a system with one primary (the first
    /// node) that every client talks to; empty when unknown.
    public var nodes: [NodeConfig]

    public init(timeoutSeconds: Double, keyPrefix: String = "", workloadKind: String = "", nodes: [NodeConfig] = []) {
        self.timeoutSeconds = timeoutSeconds
        self.keyPrefix = keyPrefix
        self.workloadKind = workloadKind
        self.nodes = nodes
    }
}

extension ClientFactory {
    /// Releases nothing: the default for factories without shared resources (a pool of
    /// connections shared by the clients is one that needs its own `shutdown`).
    public func shutdown() async {}
}
