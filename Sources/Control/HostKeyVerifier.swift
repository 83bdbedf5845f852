import CLibSSH
import Foundation

/// Strict host-key checking against known_hosts (libssh's `ssh_connect` does not check).
struct HostKeyVerifier {
    let session: ssh_session
    let node: NodeConfig
    let label: String

    private var knownHostsPath: String {
        PathExpansion.expandTilde(node.knownHostsFile ?? "~/.ssh/known_hosts")
    }

    /// Throws unless the server's key is the one recorded; records it if unknown and `accept`.
    func verify(accept: Bool) throws(RemoteError) {
        let state = ssh_session_is_known_server(session)
        let current = serverFingerprint() ?? "(unknown)"
        switch state {
        case SSH_KNOWN_HOSTS_OK:
            return
        case SSH_KNOWN_HOSTS_CHANGED, SSH_KNOWN_HOSTS_OTHER:
            let recorded = recordedFingerprint() ?? "(unreadable entry)"
            throw RemoteError(
                .hostKeyChanged, node: node.name,
                message: "HOST KEY CHANGED for \(label): known_hosts (\(knownHostsPath)) has \(recorded), "
                    + "the server presented \(current). Refusing to connect: this can be an attack",
                hint: "if the node was really reinstalled, remove the old entry with "
                    + "`ssh-keygen -R \(hostPattern) -f \(knownHostsPath)` and trust the new key")
        case SSH_KNOWN_HOSTS_UNKNOWN, SSH_KNOWN_HOSTS_NOT_FOUND:
            if accept {
                try record()
                return
            }
            throw RemoteError(
                .hostKeyUnknown, node: node.name,
                message: "host key of \(label) (\(current)) is not in \(knownHostsPath)",
                hint: "check the fingerprint out of band, then record it with "
                    + "`ssh-keyscan \(portFlag)\(node.host) >> \(knownHostsPath)`, "
                    + "or rerun with --accept-new-host-keys to record it on first use")
        default:
            throw RemoteError(
                .internalError, node: node.name,
                message: "cannot check the host key of \(label) against \(knownHostsPath): "
                    + String(cString: ssh_get_error(UnsafeMutableRawPointer(session))))
        }
    }

    private var hostPattern: String {
        if let port = node.port, port != 22 { return "'[\(node.host)]:\(port)'" }
        return node.host
    }

    private var portFlag: String {
        if let port = node.port, port != 22 { return "-p \(port) " }
        return ""
    }

    private func record() throws(RemoteError) {
        let dir = (knownHostsPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard ssh_session_update_known_hosts(session) == SSH_OK else {
            throw RemoteError(
                .localFileUnwritable, node: node.name,
                message: "cannot record the host key of \(label) in \(knownHostsPath)")
        }
    }

    private func serverFingerprint() -> String? {
        var key: ssh_key?
        guard ssh_get_server_publickey(session, &key) == SSH_OK, let key else { return nil }
        defer { ssh_key_free(key) }
        return Self.fingerprint(key)
    }

    /// Fingerprints of the keys known_hosts records for this host (libssh matches hashed names too).
    private func recordedFingerprint() -> String? {
        guard let text = try? String(contentsOfFile: knownHostsPath, encoding: .utf8) else { return nil }
        let host = (node.port ?? 22) == 22 ? node.host : "[\(node.host)]:\(node.port ?? 22)"
        var found: [String] = []
        for line in text.split(separator: "\n").prefix(100_000) where !line.hasPrefix("#") {
            var entry: UnsafeMutablePointer<ssh_knownhosts_entry>?
            let rc = ssh_known_hosts_parse_line(host, String(line), &entry)
            guard let entry else { continue }
            defer { ssh_knownhosts_entry_free(entry) }
            if rc == SSH_OK, let key = entry.pointee.publickey, let print = Self.fingerprint(key) {
                found.append(print)
            }
        }
        return found.isEmpty ? nil : found.joined(separator: " and ")
    }

    /// `SHA256:…` fingerprint of a key, as OpenSSH prints it, with its type.
    static func fingerprint(_ key: ssh_key) -> String? {
        var hash: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK, let bytes = hash
        else {
            return nil
        }
        defer { ssh_clean_pubkey_hash(&hash) }
        guard let text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, bytes, length) else { return nil }
        defer { ssh_string_free_char(text) }
        let type = String(cString: ssh_key_type_to_char(ssh_key_type(key)))
        return "\(type) \(String(cString: text))"
    }
}
