import Foundation

/// How a node's clock is faulted: by setting the real clock, or through libfaketime.
public enum ClockStrategy: String, Sendable, Hashable, CaseIterable, Codable {
    /// The node owns its clock (a real VM): clock faults may set it.
    case system
    /// Nodes share a kernel clock (the local cluster): faults go through libfaketime only.
    case faketime
}

/// One node of a cluster: where it is, how to log in, and how to treat it.
public struct NodeConfig: Sendable, Hashable, Codable {
    /// A short unique name (`n1`), used in messages and history.
    public var name: String
    /// Host name or address to connect to (an alias from `~/.ssh/config` works too).
    public var host: String
    /// SSH port; nil: from `~/.ssh/config`, else 22.
    public var port: Int?
    /// User to log in as; nil: from `~/.ssh/config`, else the current user.
    public var user: String?
    /// Private key file; nil: ssh-agent and the default keys (and `IdentityFile` from the config).
    public var identityFile: String?
    /// known_hosts file for strict host-key checking; nil: `~/.ssh/known_hosts`.
    public var knownHostsFile: String?
    /// Whether to read `~/.ssh/config` (and `/etc/ssh/ssh_config`) for this node.
    public var useSSHConfig: Bool
    /// Whether privileged commands go through `sudo` when the user is not root.
    public var sudo: Bool
    /// Name of an environment variable holding the sudo password (never the password itself).
    public var sudoPasswordEnv: String?
    /// Folder on the node where Schism keeps binaries, data and logs.
    public var dataDir: String
    /// How clock faults reach this node.
    public var clock: ClockStrategy
    /// Seconds to wait for the TCP connection and SSH handshake.
    public var connectTimeoutSeconds: Double

    /// Default data folder on a node.
    public static let defaultDataDir = "/var/lib/schism"

    /// Creates a node with defaults for everything but its name and host.
    public init(
        name: String, host: String, port: Int? = nil, user: String? = nil, identityFile: String? = nil,
        knownHostsFile: String? = nil, useSSHConfig: Bool = true, sudo: Bool = true,
        sudoPasswordEnv: String? = nil, dataDir: String = NodeConfig.defaultDataDir,
        clock: ClockStrategy = .system, connectTimeoutSeconds: Double = 10
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.user = user
        self.identityFile = identityFile
        self.knownHostsFile = knownHostsFile
        self.useSSHConfig = useSSHConfig
        self.sudo = sudo
        self.sudoPasswordEnv = sudoPasswordEnv
        self.dataDir = dataDir
        self.clock = clock
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// Nodes for a comma-separated list of hosts (`--nodes a,b,c`), each named after its host.
    public static func shorthand(_ list: String) throws(NodesFileError) -> [NodeConfig] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw NodesFileError(
                file: "--nodes", line: nil, field: "nodes",
                message: "expected a comma-separated list of hosts such as n1,n2,n3, got '\(list)'")
        }
        var seen = Set<String>()
        var nodes: [NodeConfig] = []
        for entry in names {
            var host = entry
            var user: String?
            var port: Int?
            if let at = host.firstIndex(of: "@") {
                user = String(host[..<at])
                host = String(host[host.index(after: at)...])
            }
            if let colon = host.lastIndex(of: ":"), !host.contains("]"), host.filter({ $0 == ":" }).count == 1 {
                guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else {
                    throw NodesFileError(
                        file: "--nodes", line: nil, field: "nodes", message: "bad port in '\(entry)'")
                }
                port = p
                host = String(host[..<colon])
            }
            guard seen.insert(host).inserted else {
                throw NodesFileError(file: "--nodes", line: nil, field: "nodes", message: "'\(host)' is listed twice")
            }
            nodes.append(NodeConfig(name: host, host: host, port: port, user: user))
        }
        return nodes
    }
}
