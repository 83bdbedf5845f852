import Control

/// The names, addresses and paths of one local cluster, all derived from its name and index.
///
/// Everything a cluster creates carries a `schism` prefix and its network index, so two
/// clusters (a user's and a test's) never share a name or an address:
/// index 0 gives bridge `schism-br0`, namespaces `schism-n1`…, subnet 10.77.0.0/24;
/// index 7 gives `schism-br7`, `schism7-n1`…, 10.77.7.0/24.
public struct ClusterSpec: Sendable, Hashable, Codable {
    /// The cluster's name (`default` unless chosen): letters, digits and `-`, at most 16.
    public var name: String
    /// Selects the subnet 10.77.<netIndex>.0/24 and the interface names (0...199).
    public var netIndex: Int
    /// Number of nodes, named n1...nN (1...32).
    public var nodeCount: Int
    /// Folder holding every cluster's state (`/var/lib/schism/clusters`).
    public var stateRoot: String

    /// The default folder for cluster state.
    public static let defaultStateRoot = "/var/lib/schism/clusters"
    /// The folder every node sees as its own data folder (bind-mounted per node).
    public static let nodeDataDir = "/var/lib/schism/node"

    /// Creates a spec; call ``validate()`` before use.
    public init(name: String = "default", netIndex: Int = 0, nodeCount: Int = 5, stateRoot: String = defaultStateRoot) {
        self.name = name
        self.netIndex = netIndex
        self.nodeCount = nodeCount
        self.stateRoot = stateRoot
    }

    /// Throws `.badRequest` for names, indexes or counts out of range.
    public func validate() throws(ClusterError) {
        guard (1...32).contains(nodeCount) else {
            throw ClusterError(.badRequest, "--nodes must be between 1 and 32, got \(nodeCount)")
        }
        guard (0...199).contains(netIndex) else {
            throw ClusterError(.badRequest, "the network index must be between 0 and 199, got \(netIndex)")
        }
        guard !name.isEmpty, name.count <= 16, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            throw ClusterError(.badRequest, "cluster name '\(name)': use 1-16 letters, digits or '-'")
        }
    }

    private var prefix: String { netIndex == 0 ? "schism" : "schism\(netIndex)" }

    /// The bridge all nodes hang off.
    public var bridge: String { "schism-br\(netIndex)" }
    /// The bridge's MAC address, fixed so that adding or removing a node never changes it (a changed
    /// one leaves every node's ARP entry for the controller stale for seconds).
    public var bridgeMAC: String { "02:73:63:\(hexByte(netIndex)):00:01" }
    /// The bridge's address, seen by nodes as the controller.
    public var bridgeAddress: String { "10.77.\(netIndex).1" }
    /// The subnet, in CIDR notation.
    public var subnet: String { "10.77.\(netIndex).0/24" }
    /// Node names, n1...nN.
    public var nodeNames: [String] { (1...max(1, nodeCount)).map { "n\($0)" } }
    /// The network namespace of node `i` (1-based).
    public func netns(_ i: Int) -> String { "\(prefix)-n\(i)" }
    /// The host end of node `i`'s veth pair.
    public func vethHost(_ i: Int) -> String { "\(prefix)-n\(i)h" }
    /// The peer end before it moves into the namespace (where it is renamed eth0).
    public func vethPeer(_ i: Int) -> String { "\(prefix)-n\(i)p" }
    /// Node `i`'s MAC address, fixed so that a rebuilt node is still reachable at once from the host
    /// and the other nodes, whose ARP caches still hold it.
    public func mac(_ i: Int) -> String { "02:73:6e:\(hexByte(netIndex)):00:\(hexByte(i))" }
    private func hexByte(_ v: Int) -> String {
        let digits = String(v & 0xff, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
    /// Node `i`'s address.
    public func address(_ i: Int) -> String { "10.77.\(netIndex).\(10 + i)" }
    /// Whether a namespace name belongs to this cluster; returns its node index.
    public func nodeIndex(ofNetns name: String) -> Int? {
        guard name.hasPrefix("\(prefix)-n"), let i = Int(name.dropFirst(prefix.count + 2)), i >= 1 else { return nil }
        return i
    }

    /// This cluster's folder: keys, known_hosts, nodes file, state, per-node files.
    public var clusterDir: String { "\(stateRoot)/\(name)" }
    /// Node `i`'s folder on the host.
    public func nodeDir(_ i: Int) -> String { "\(clusterDir)/nodes/n\(i)" }
    /// The nodes file `up` writes.
    public var nodesFilePath: String { "\(clusterDir)/nodes.yml" }
    /// The state file that records what `up` created.
    public var statePath: String { "\(clusterDir)/state.json" }
    /// The client private key.
    public var clientKeyPath: String { "\(clusterDir)/id_ed25519" }
    /// The known_hosts file with every node's host key.
    public var knownHostsPath: String { "\(clusterDir)/known_hosts" }

    /// The nodes file for this cluster.
    public func nodesFile() -> NodesFile {
        NodesFile(
            nodes: (1...nodeCount).map { i in
                NodeConfig(
                    name: "n\(i)", host: address(i), port: 22, user: "root", identityFile: clientKeyPath,
                    knownHostsFile: knownHostsPath, useSSHConfig: false, sudo: false,
                    dataDir: Self.nodeDataDir, clock: .faketime, connectTimeoutSeconds: 5)
            }, source: nodesFilePath)
    }
}
