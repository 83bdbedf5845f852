import Control

/// Where PostgreSQL's files live on one node; every path is under `<node.dataDir>/postgres`.
///
/// | path | what |
/// |---|---|
/// | `<dataDir>/postgres/data` | the cluster `initdb` made (wiped by teardown) |
/// | `<dataDir>/postgres/run` | the Unix socket folder (per node: `/run/postgresql` is shared by local-cluster nodes) |
/// | `<dataDir>/postgres/postgres.log` | stdout and stderr of every start, appended |
/// | `<dataDir>/postgres/postgres.pid` | PID of the running postmaster (the leader of its process group) |
public struct PostgresLayout: Sendable, Hashable {
    /// The node's data folder (`node.dataDir`).
    public let dataDir: String

    /// The layout on `node`.
    public init(node: NodeConfig) {
        var d = node.dataDir
        while d.count > 1 && d.hasSuffix("/") { d.removeLast() }
        dataDir = d
    }

    /// Everything PostgreSQL owns on the node; teardown removes it.
    public var root: String { dataDir + "/postgres" }
    /// The database cluster (`-D`).
    public var data: String { root + "/data" }
    /// The Unix socket folder.
    public var socketDir: String { root + "/run" }
    /// The log of every start.
    public var log: String { root + "/postgres.log" }
    /// The running postmaster's PID.
    public var pidFile: String { root + "/postgres.pid" }
}
