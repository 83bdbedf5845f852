import Control
import Systems

/// How etcd is deployed on the nodes and read by its clients: which binary, which ports, how
/// long to wait, and whether reads are linearizable.
///
/// The defaults match Debian's `etcd-server` package (etcd 3.4) and etcd's standard
/// ports. Every path on a node lives under `<node.dataDir>/etcd` (see ``EtcdLayout``).
public struct EtcdConfig: Sendable, Hashable {
    /// The etcd binary on the controller, uploaded to every node at setup.
    public var binaryPath: String
    /// Port clients (and the JSON gateway) use.
    public var clientPort: Int
    /// Port the members use among themselves.
    public var peerPort: Int
    /// Address etcd listens on, on each node (`0.0.0.0`: every interface of the node).
    public var listenAddress: String
    /// Seconds `setup` and `start` wait for the cluster to become healthy.
    public var healthTimeoutSeconds: Double
    /// Seconds a lifecycle command (kill, pause, start) may run on a node.
    public var commandTimeoutSeconds: Double
    /// Seconds an upload of the binary may take (it is 20+ MB).
    public var uploadTimeoutSeconds: Double
    /// libfaketime on the nodes; nil: look in the usual places (Debian's first).
    public var libfaketimePath: String?
    /// Run lifecycle commands through `sudo` when the node's user is not root.
    public var sudo: Bool
    /// Extra command-line flags for etcd (e.g. `--snapshot-count=100`).
    public var extraArgs: [String]
    /// The cluster token (`--initial-cluster-token`); nil: a fresh one for every ``EtcdSystem``
    /// value, so members of an earlier run can never join or be mistaken for this run's.
    public var clusterToken: String?
    /// Whether clients read serializably (`db.reads: serializable`: from the member's local
    /// state, may be stale) instead of linearizably (the default).
    public var serializableReads: Bool

    /// Where Debian's `etcd-server` package installs etcd.
    public static let debianBinaryPath = "/usr/bin/etcd"

    /// Places libfaketime is looked for on a node, in order.
    public static let libfaketimeCandidates = Faketime.libraryCandidates

    /// Creates a configuration; every parameter has the default described on its property.
    public init(
        binaryPath: String = EtcdConfig.debianBinaryPath, clientPort: Int = 2379, peerPort: Int = 2380,
        listenAddress: String = "0.0.0.0", healthTimeoutSeconds: Double = 30, commandTimeoutSeconds: Double = 20,
        uploadTimeoutSeconds: Double = 120, libfaketimePath: String? = nil, sudo: Bool = true,
        extraArgs: [String] = [], clusterToken: String? = nil, serializableReads: Bool = false
    ) {
        self.binaryPath = binaryPath
        self.clientPort = clientPort
        self.peerPort = peerPort
        self.listenAddress = listenAddress
        self.healthTimeoutSeconds = healthTimeoutSeconds
        self.commandTimeoutSeconds = commandTimeoutSeconds
        self.uploadTimeoutSeconds = uploadTimeoutSeconds
        self.libfaketimePath = libfaketimePath
        self.sudo = sudo
        self.extraArgs = extraArgs
        self.clusterToken = clusterToken
        self.serializableReads = serializableReads
    }

    /// `http://host:port`, with IPv6 literals in brackets.
    public static func url(host: String, port: Int) -> String {
        let h = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(h):\(port)"
    }

    /// The client URL of `node` (what clients and health checks connect to).
    public func clientURL(_ node: NodeConfig) -> String {
        Self.url(host: node.host, port: clientPort)
    }

    /// The peer URL of `node` (what the other members connect to).
    public func peerURL(_ node: NodeConfig) -> String {
        Self.url(host: node.host, port: peerPort)
    }
}
