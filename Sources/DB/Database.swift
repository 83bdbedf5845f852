import Control

/// A system under test: how to install it on the nodes, start it, and remove it again.
///
/// Setup and teardown are required; the rest are optional capabilities that nemeses
/// look for (`KillableDatabase`, `PausableDatabase`), as in Jepsen's DB protocol.
public protocol Database: Sendable {
    /// A short name for messages and results, e.g. `etcd`.
    var name: String { get }

    /// The version that will run, for `test.json` (e.g. `3.4.23`).
    func version() async throws(DatabaseError) -> String

    /// Installs and starts the system on every node; returns once the cluster is healthy.
    func setup(_ cluster: TestCluster) async throws(DatabaseError)

    /// Stops the system on every node and wipes its data. Must work after a partial setup.
    func teardown(_ cluster: TestCluster) async throws(DatabaseError)

    /// Paths of the log files on a node, to download into the results.
    func logFiles(on node: NodeConfig) -> [String]
}

/// A database whose server process can be killed and started again on one node.
public protocol KillableDatabase: Database {
    /// Kills the server on `node` (SIGKILL, by the PID it recorded).
    func kill(_ node: NodeConfig, in cluster: TestCluster) async throws(DatabaseError)
    /// Starts the server on `node` again, keeping its data.
    func start(_ node: NodeConfig, in cluster: TestCluster) async throws(DatabaseError)
}

/// A database whose server process can be paused (SIGSTOP) and resumed (SIGCONT).
public protocol PausableDatabase: Database {
    func pause(_ node: NodeConfig, in cluster: TestCluster) async throws(DatabaseError)
    func resume(_ node: NodeConfig, in cluster: TestCluster) async throws(DatabaseError)
}

/// The nodes of a test and a connection to each.
public struct TestCluster: Sendable {
    public let nodes: [NodeConfig]
    public let remotes: RemoteSet

    public init(nodes: [NodeConfig], remotes: RemoteSet) {
        self.nodes = nodes
        self.remotes = remotes
    }

    /// The connection to `node`.
    public func remote(_ node: NodeConfig) throws(DatabaseError) -> any Remote {
        guard let r = remotes[node.name] else {
            throw DatabaseError(node: node.name, message: "no connection to node \(node.name)")
        }
        return r
    }
}

/// A failure of the system under test's lifecycle, with the node and what was being done.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    public var node: String?
    public var message: String
    /// The command's stderr tail or the server log's tail, when there is one.
    public var detail: String

    public init(node: String?, message: String, detail: String = "") {
        self.node = node
        self.message = message
        self.detail = detail
    }

    public init(_ error: RemoteError, doing what: String) {
        self.init(node: error.node, message: "\(what): \(error.description)")
    }

    public var description: String {
        var s = node.map { "\($0): " } ?? ""
        s += message
        if !detail.isEmpty { s += "\n" + detail }
        return s
    }
}
