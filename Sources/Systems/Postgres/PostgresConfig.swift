import Control
import Foundation
import Systems

/// How PostgreSQL is deployed and used: where Debian put it, its port, the isolation level of
/// every transaction, and how long lifecycle commands may take.
///
/// Every path on a node lives under `<node.dataDir>/postgres` (``PostgresLayout``).
public struct PostgresConfig: Sendable, Hashable {
    /// The folder of `postgres`, `initdb` and `pg_ctl` on every node (and the controller).
    public var binDir: String
    /// The port the server listens on, on every address of its node.
    public var port: Int
    /// The isolation level of every transaction: `read-committed`, `repeatable-read` or `serializable`.
    public var isolation: String
    /// The operating-system user the server runs as (PostgreSQL refuses to run as root).
    public var user: String
    /// Seconds a lifecycle command (initdb, start, kill, pause) may run on a node.
    public var commandTimeoutSeconds: Double
    /// Run lifecycle commands through `sudo` when the node's user is not root.
    public var sudo: Bool

    /// Where Debian's `postgresql-15` package installs the server programs.
    public static let debianBinDir = "/usr/lib/postgresql/15/bin"

    /// The isolation levels, by the names workload files and `--isolation` use.
    public static let isolationLevels = ["read-committed", "repeatable-read", "serializable"]

    /// Creates a configuration; every parameter has the default described on its property.
    public init(
        binDir: String = PostgresConfig.debianBinDir, port: Int = 5432, isolation: String = "serializable",
        user: String = "postgres", commandTimeoutSeconds: Double = 60, sudo: Bool = true
    ) {
        self.binDir = binDir
        self.port = port
        self.isolation = isolation
        self.user = user
        self.commandTimeoutSeconds = commandTimeoutSeconds
        self.sudo = sudo
    }

    /// The server program.
    public var serverBinary: String { binDir + "/postgres" }

    /// `initdb`.
    public var initdbBinary: String { binDir + "/initdb" }

    /// The SQL of the isolation level (`READ COMMITTED`, ...).
    public var isolationSQL: String {
        isolation.replacingOccurrences(of: "-", with: " ").uppercased()
    }

    /// The node every client connects to and the server runs on: the first.
    public static func primary(of nodes: [NodeConfig]) -> NodeConfig? { nodes.first }
}
