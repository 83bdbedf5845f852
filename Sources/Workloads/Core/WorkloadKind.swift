import Basics
import Checkers
import Config
import Systems

/// A kind of workload Schism can run, as the registry lists it: `workload.kind` names one.
///
/// A kind reads its own fields of the `workload:` section (everything but `kind`), with the
/// same file:line:field messages as the rest of the file, and makes a ``Workload``. See
/// docs/extending.md.
public protocol WorkloadKind: Sendable {
    /// The name in `workload.kind`, e.g. `register`.
    var name: String { get }
    /// One line for help and error messages.
    var summary: String { get }
    /// Reads the `workload:` section (`kind` already read) and makes the workload.
    func configure(_ section: ConfigSection) throws(ConfigError) -> any Workload
}

/// A configured workload: what the workers send, how the run reads its final state, and which
/// checkers judge the history.
public protocol Workload: Sendable {
    /// The kind's name, e.g. `register`.
    var kind: String { get }
    /// The client functions it sends, e.g. `read`, `write`, `cas`.
    var functions: [String] { get }
    /// Operations on a key before the workers move to a fresh key (Jepsen's independent keys),
    /// so that every key's history stays small enough to check.
    var opsPerKey: Int { get }
    /// Workers that share a key at once (default: all of them).
    var clientsPerKey: Int { get }
    /// Worker `worker`'s generator of requests, reproducible from the run's seed.
    func generator(seed: UInt64, worker: Int) -> any OpGenerator
    /// The requests that read the final state after healing, given every key used.
    func finalRequests(keys: [String]) -> [ClientRequest]
    /// The checkers that judge the history, with their options.
    var checkers: [CheckerSpec] { get }
    /// The settings as JSON, for `test.json`.
    var settings: [String: JSONValue] { get }
}

extension Workload {
    public var clientsPerKey: Int { Int.max }

    /// Reads of every key, one each: the usual final phase of single-key workloads.
    public func finalRequests(keys: [String]) -> [ClientRequest] {
        keys.map { ClientRequest(f: "read", key: $0, value: .null) }
    }
}

/// One worker's stream of requests (what Jepsen calls a generator): pure and seeded, so that the
/// same seed and worker give the same requests.
public protocol OpGenerator: Sendable {
    /// The next request; `keys` hands out the key (or keys) it should use.
    mutating func next(keys: WorkerKeys) -> ClientRequest
}
