import Control

/// Where a bring-your-own server's files live on one node.
///
/// | path | what |
/// |---|---|
/// | `<dataDir>/byo/<name>/data` | `{data}`: the server's data folder (wiped by teardown unless `wipe: false`) |
/// | `<dataDir>/byo/<name>/<name>.log` | `{log}`: stdout and stderr of every start, appended |
/// | `<dataDir>/byo/<name>/<name>.pid` | PID of the running server (written by its launcher) |
/// | `<dataDir>/byo/<name>/launch.sh` | the launcher: writes the pidfile, sets the environment, `exec`s the start command |
/// | `<dataDir>/byo-cache/<sha256>/` | `{install}`: the uploaded file, tarball contents or folder, kept across runs |
/// | `<dataDir>/faketime` | libfaketime's timestamp file (nodes with `clock: faketime`) |
public struct BinaryLayout: Sendable, Hashable {
    /// The node's data folder (`node.dataDir`), without a trailing slash.
    public let dataDir: String
    /// The system's name (`db.name`).
    public let name: String

    /// The layout of system `name` on `node`.
    public init(node: NodeConfig, name: String) {
        var d = node.dataDir
        while d.count > 1 && d.hasSuffix("/") { d.removeLast() }
        self.dataDir = d
        self.name = name
    }

    /// Everything the server owns on the node (teardown removes it).
    public var root: String { "\(dataDir)/byo/\(name)" }
    /// `{data}`.
    public var data: String { "\(root)/data" }
    /// `{log}`.
    public var log: String { "\(root)/\(name).log" }
    /// The running server's PID.
    public var pidFile: String { "\(root)/\(name).pid" }
    /// The launcher script.
    public var launcher: String { "\(root)/launch.sh" }
    /// The cache of uploads, shared by runs.
    public var cache: String { "\(dataDir)/byo-cache" }
    /// libfaketime's timestamp file.
    public var faketimeFile: String { "\(dataDir)/faketime" }

    /// `{install}` for an upload whose SHA-256 is `sha256`.
    public func installDir(sha256: String) -> String { "\(cache)/\(sha256)" }
}
