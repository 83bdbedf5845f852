import Control

/// A system under test: how to install it on the nodes, start it, and remove it again.
///
/// Setup and teardown are required; the rest are optional capabilities that faults and the
/// runner look for, as in Jepsen's DB protocol: ``KillableSystem``, ``PausableSystem``,
/// ``PrimaryAwareSystem``, log files and whether the server reads time through libc.
///
/// The lifecycle contract (Jepsen's `cycle!`): `setup` first undoes whatever an earlier run
/// left (its daemons, found by pidfile and verified to be the system's own, and its data), then
/// starts the system and verifies that what answers is what it just started.
public protocol SystemUnderTest: Sendable {
    /// A short name for messages and results, e.g. `etcd`.
    var name: String { get }

    /// The version that will run, for `test.json` (e.g. `3.4.23`).
    func version() async throws(SystemError) -> String

    /// Tears down what an earlier run left, installs and starts the system on every node, and
    /// returns once the cluster is healthy and answered by the processes this call started.
    func setup(_ cluster: TestCluster) async throws(SystemError)

    /// Stops the system on every node and wipes its data. Must work after a partial setup,
    /// after a crash of the controller, and when called twice.
    func teardown(_ cluster: TestCluster) async throws(SystemError)

    /// Paths of the log files on a node, to download into the results (default: none).
    func logFiles(on node: NodeConfig) -> [String]

    /// Whether the server reads the time through libc, so that libfaketime's clock faults
    /// reach it; nil when unknown (default). Go programs read it through the vDSO: false.
    var readsTimeThroughLibc: Bool? { get }

    /// Things a person must know before trusting a run of this system with these settings
    /// (e.g. "reads are serializable, stale reads are expected"), for the run's notes.
    var notes: [String] { get }
}

extension SystemUnderTest {
    public func logFiles(on node: NodeConfig) -> [String] { [] }
    public var readsTimeThroughLibc: Bool? { nil }
    public var notes: [String] { [] }
}

/// A system whose server process can be killed and started again on one node.
public protocol KillableSystem: SystemUnderTest {
    /// Kills the server on `node` (SIGKILL, by the PID it recorded).
    func kill(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError)
    /// Starts the server on `node` again, keeping its data.
    func start(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError)
}

/// A system whose server process can be paused (SIGSTOP) and resumed (SIGCONT).
public protocol PausableSystem: SystemUnderTest {
    func pause(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError)
    func resume(_ node: NodeConfig, in cluster: TestCluster) async throws(SystemError)
}

/// A system with a primary (leader) that faults can aim at.
public protocol PrimaryAwareSystem: SystemUnderTest {
    /// The nodes that are primaries (leaders) now, as far as the system can tell.
    func primaries(in cluster: TestCluster) async throws(SystemError) -> [String]
}
