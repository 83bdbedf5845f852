import Control

/// A bring-your-own system as its workload file describes it (`db.system: binary`).
///
/// See ``BinaryPlugin`` for the fields and docs/databases.md for the whole format.
public struct BinaryConfig: Sendable, Hashable {
    /// A name for messages and paths on the nodes (`db.name`, default `server`).
    public var name: String
    /// What to put on each node before starting.
    public var install: Install
    /// The command that starts one server (placeholders: ``BinaryConfig/serverPlaceholders``).
    public var start: CommandTemplate
    /// The port the server listens on (`{port}`), if it has one.
    public var port: Int?
    /// How to tell that a node is ready.
    public var ready: ReadyCheck
    /// Seconds every node has to become ready.
    public var readyTimeoutSeconds: Double
    /// More log files on each node (templates), besides the server's stdout/stderr.
    public var logs: [CommandTemplate]
    /// Whether the program reads the time through libc (so libfaketime reaches it); nil: unknown.
    public var readsTimeThroughLibc: Bool?
    /// A command run on the node to stop the server gracefully before it is killed.
    public var stop: CommandTemplate?
    /// Whether teardown removes the data folder (default true).
    public var wipe: Bool
    /// How workers talk to the server.
    public var client: ClientChoice
    /// Seconds a lifecycle command may run on a node.
    public var commandTimeoutSeconds: Double = 30
    /// Seconds an upload may take.
    public var uploadTimeoutSeconds: Double = 300
    /// Run lifecycle commands through `sudo` when the node's user is not root.
    public var sudo: Bool = true

    /// What is installed on each node.
    public struct Install: Sendable, Hashable {
        /// A file, a tarball or a folder on the controller, uploaded to every node.
        public var artifact: Artifact?
        /// Debian packages installed on each node with apt-get when missing.
        public var packages: [String]

        /// Creates an install description.
        public init(artifact: Artifact?, packages: [String]) {
            self.artifact = artifact
            self.packages = packages
        }
    }

    /// One thing uploaded from the controller.
    public struct Artifact: Sendable, Hashable {
        /// What kind of thing `path` is.
        public enum Kind: String, Sendable, Hashable {
            case file, tarball, folder
        }
        public var kind: Kind
        /// The path on the controller.
        public var path: String

        /// Creates an artifact.
        public init(kind: Kind, path: String) {
            self.kind = kind
            self.path = path
        }
    }

    /// How readiness is checked, per node.
    public enum ReadyCheck: Sendable, Hashable {
        /// The server's process is running (no further check).
        case running
        /// The server's process listens on this TCP port (checked on the node).
        case tcp(port: Int)
        /// `GET url` answers 2xx (checked from the controller; the URL is a template).
        case http(CommandTemplate)
        /// The command exits 0 on the node (a template).
        case command(CommandTemplate)
    }

    /// The client adapter workers use.
    public enum ClientChoice: Sendable, Hashable {
        /// A program on the controller, one process per worker, JSON lines on stdin/stdout.
        case stdio(command: CommandTemplate, graceSeconds: Double, startupSeconds: Double)
        /// Schism's own client for the http-kv protocol on `port`.
        case httpKV(port: Int)
    }

    /// Placeholders in `start`, `stop`, `ready.command` and `logs`.
    public static let serverPlaceholders = [
        "node", "index", "address", "port", "peers", "cluster", "addresses", "names", "data", "log", "install", "binary",
    ]
    /// Placeholders in `ready.http`.
    public static let urlPlaceholders = ["node", "index", "address", "port"]
    /// Placeholders in `client.command`.
    public static let clientPlaceholders = ["node", "address", "port", "timeout", "timeout-ms"]
}
