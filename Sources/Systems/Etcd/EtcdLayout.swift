import Control
import Systems

/// Where etcd's files live on one node; every path is under `<node.dataDir>/etcd`.
///
/// | path | what |
/// |---|---|
/// | `<dataDir>/etcd/etcd` | the uploaded binary |
/// | `<dataDir>/etcd/data` | etcd's `--data-dir` (wiped by teardown) |
/// | `<dataDir>/etcd/etcd.log` | stdout and stderr of every start, appended |
/// | `<dataDir>/etcd/etcd.pid` | PID of the running server, written by the process itself |
/// | `<dataDir>/faketime` | libfaketime's timestamp file (nodes with `clock: faketime`) |
public struct EtcdLayout: Sendable, Hashable {
    /// The node's data folder (`node.dataDir`).
    public let dataDir: String

    /// The layout on `node`.
    public init(node: NodeConfig) {
        self.init(dataDir: node.dataDir)
    }

    /// The layout under a data folder.
    public init(dataDir: String) {
        var d = dataDir
        while d.count > 1 && d.hasSuffix("/") { d.removeLast() }
        self.dataDir = d
    }

    /// Everything etcd owns on the node; teardown removes it.
    public var root: String { join(dataDir, "etcd") }
    /// The binary uploaded from the controller.
    public var binary: String { join(root, "etcd") }
    /// etcd's `--data-dir`.
    public var data: String { join(root, "data") }
    /// The log of every start (stdout and stderr, appended).
    public var log: String { join(root, "etcd.log") }
    /// The running server's PID.
    public var pidFile: String { join(root, "etcd.pid") }
    /// libfaketime's timestamp file (`FAKETIME_TIMESTAMP_FILE`), initialised with `+0`.
    public var faketimeFile: String { join(dataDir, "faketime") }

    private func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }
}
