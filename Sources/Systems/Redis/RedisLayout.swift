import Control
import Systems

/// Where Redis's files live on one node; every path is under `<node.dataDir>/redis`.
///
/// | path | what |
/// |---|---|
/// | `<dataDir>/redis/redis.conf`, `sentinel.conf` | written by setup (Sentinel rewrites its own) |
/// | `<dataDir>/redis/data` | redis-server's `dir` (append-only file; wiped by teardown) |
/// | `<dataDir>/redis/redis.log`, `sentinel.log` | stdout and stderr of every start, appended |
/// | `<dataDir>/redis/redis.pid`, `sentinel.pid` | PIDs of the running daemons, written by the process itself |
public struct RedisLayout: Sendable, Hashable {
    /// The node's data folder (`node.dataDir`), without a trailing slash.
    public let dataDir: String

    /// The layout on `node`.
    public init(node: NodeConfig) {
        var d = node.dataDir
        while d.count > 1 && d.hasSuffix("/") { d.removeLast() }
        self.dataDir = d
    }

    /// Everything Redis owns on the node; teardown removes it.
    public var root: String { dataDir + "/redis" }
    /// redis-server's working folder.
    public var data: String { root + "/data" }

    /// The files of one daemon.
    public func files(_ daemon: RedisDaemon) -> (conf: String, log: String, pid: String) {
        (root + "/\(daemon.fileStem).conf", root + "/\(daemon.fileStem).log", root + "/\(daemon.fileStem).pid")
    }
}

/// The two daemons on every node.
public enum RedisDaemon: String, Sendable, CaseIterable {
    case server = "redis-server"
    case sentinel = "redis-sentinel"

    /// `redis` or `sentinel`: the stem of its conf, log and pid files.
    var fileStem: String { self == .server ? "redis" : "sentinel" }
}
