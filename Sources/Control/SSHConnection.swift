import CLibSSH
import Foundation

/// One libssh session: connect, verify the host key, authenticate, disconnect.
///
/// Not thread-safe: owned by one ``SSHRemote`` and used only on its thread.
final class SSHConnection {
    let session: ssh_session
    let node: NodeConfig
    /// The user we logged in as (after `~/.ssh/config`).
    private(set) var user: String = ""

    private static let libraryInit: Int32 = ssh_init()

    /// Creates a session and connects it; throws with the node's context on any failure.
    init(node: NodeConfig, options: SSHOptions) throws(RemoteError) {
        _ = Self.libraryInit
        guard let session = ssh_new() else {
            throw RemoteError(.internalError, node: node.name, message: "libssh could not allocate a session")
        }
        self.session = session
        self.node = node
        // On a throw from here on, deinit runs and frees the session.
        try configure(options: options)
        try open(options: options)
    }

    deinit {
        ssh_disconnect(session)
        ssh_free(session)
    }

    /// Whether the transport is still up as far as libssh knows.
    var isConnected: Bool { ssh_is_connected(session) != 0 }

    /// The socket, for polling.
    var fd: Int32 { ssh_get_fd(session) }

    /// libssh's last error text.
    var lastError: String { String(cString: ssh_get_error(UnsafeMutableRawPointer(session))) }

    private var label: String { "\(node.host):\(node.port.map(String.init) ?? "22")" }

    private func set(_ option: ssh_options_e, _ value: String) throws(RemoteError) {
        let rc = value.withCString { ssh_options_set(session, option, $0) }
        if rc != SSH_OK {
            throw RemoteError(.internalError, node: node.name, message: "libssh rejected option \(option): '\(value)'")
        }
    }

    private func set<T>(_ option: ssh_options_e, value: T) {
        var copy = value
        _ = withUnsafePointer(to: &copy) { ssh_options_set(session, option, UnsafeRawPointer($0)) }
    }

    private func configure(options: SSHOptions) throws(RemoteError) {
        set(SSH_OPTIONS_LOG_VERBOSITY, value: Int32(options.logLevel))
        try set(SSH_OPTIONS_HOST, node.host)
        if node.useSSHConfig {
            // Host aliases, User, Port, IdentityFile... from ~/.ssh/config; explicit fields win.
            _ = ssh_options_parse_config(session, nil)
        } else {
            set(SSH_OPTIONS_PROCESS_CONFIG, value: false)
        }
        if let port = node.port { set(SSH_OPTIONS_PORT, value: UInt32(port)) }
        if let user = node.user { try set(SSH_OPTIONS_USER, user) }
        if let file = node.knownHostsFile {
            try set(SSH_OPTIONS_KNOWNHOSTS, PathExpansion.expandTilde(file))
        }
        let seconds = max(0.1, node.connectTimeoutSeconds)
        set(SSH_OPTIONS_TIMEOUT, value: Int(seconds.rounded(.down)))
        set(SSH_OPTIONS_TIMEOUT_USEC, value: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        set(SSH_OPTIONS_NODELAY, value: Int32(1))
        var name: UnsafeMutablePointer<CChar>?
        if ssh_options_get(session, SSH_OPTIONS_USER, &name) == SSH_OK, let name {
            user = String(cString: name)
            ssh_string_free_char(name)
        }
    }

    private func open(options: SSHOptions) throws(RemoteError) {
        if ssh_connect(session) != SSH_OK {
            throw RemoteError(
                .unreachable, node: node.name,
                message: "cannot connect to \(label) within \(node.connectTimeoutSeconds) s: \(lastError)",
                hint: "check that the host is up, that sshd listens on that port, and the nodes file's host/port")
        }
        try HostKeyVerifier(session: session, node: node, label: label).verify(accept: options.acceptNewHostKeys)
        try authenticate()
    }

    private func authenticate() throws(RemoteError) {
        let rc: Int32
        let offered: String
        if let file = node.identityFile {
            let path = PathExpansion.expandTilde(file)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw RemoteError(
                    .localFileMissing, node: node.name, message: "identity file '\(path)' is missing or unreadable",
                    hint: "fix identity_file in the nodes file")
            }
            var key: ssh_key?
            guard ssh_pki_import_privkey_file(path, nil, nil, nil, &key) == SSH_OK, let key else {
                throw RemoteError(
                    .authenticationFailed, node: node.name,
                    message: "cannot load private key '\(path)' (encrypted keys need ssh-agent instead)",
                    hint: "add the key to ssh-agent and remove identity_file, or use an unencrypted key")
            }
            defer { ssh_key_free(key) }
            rc = ssh_userauth_publickey(session, nil, key)
            offered = "key \(path)"
        } else {
            rc = ssh_userauth_publickey_auto(session, nil, nil)
            offered = "ssh-agent and default keys"
        }
        guard rc == SSH_AUTH_SUCCESS.rawValue else {
            throw RemoteError(
                .authenticationFailed, node: node.name,
                message: "\(label) refused \(offered) for user '\(user)': \(lastError)",
                hint: "install the public key in ~\(user)/.ssh/authorized_keys on the node "
                    + "(ssh-copy-id), or set identity_file/user in the nodes file")
        }
    }
}
