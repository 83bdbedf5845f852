import Control
import Foundation

/// The files a local node runs from: sshd config, host key, passwd, hosts, and its init script.
struct NodeFiles {
    let spec: ClusterSpec
    let index: Int

    var dir: String { spec.nodeDir(index) }
    var name: String { "n\(index)" }
    var hostKeyPath: String { "\(dir)/ssh_host_ed25519_key" }
    var sshdConfigPath: String { "\(dir)/sshd_config" }
    var initLogPath: String { "\(dir)/init.log" }
    var sshdLogPath: String { "\(dir)/sshd.log" }

    /// Writes every file (idempotent; host keys are kept so known_hosts stays valid).
    func write(openSSHVersion: Double) async throws(ClusterError) {
        let fm = FileManager.default
        for sub in ["", "/data", "/tmp", "/run"] {
            do {
                try fm.createDirectory(atPath: dir + sub, withIntermediateDirectories: true)
            } catch {
                throw ClusterError(.cannotCreate, "cannot create \(dir + sub): \(error)")
            }
        }
        chmod(dir + "/tmp", 0o1777)
        try await HostCommands.ensureKey(hostKeyPath, comment: "schism-\(spec.name)-\(name)")
        try put(sshdConfigPath, sshdConfig(openSSHVersion: openSSHVersion))
        try put(dir + "/passwd", passwd())
        try put(dir + "/hosts", hosts())
        try put(dir + "/hostname", name + "\n")
    }

    private func put(_ path: String, _ text: String) throws(ClusterError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ClusterError(.cannotCreate, "cannot write \(path): \(error)")
        }
    }

    /// sshd settings: key login only, no PAM, no user rc or environment, quiet, fast.
    func sshdConfig(openSSHVersion: Double) -> String {
        var lines = [
            "# Written by schism cluster up for node \(name) of cluster \(spec.name).",
            "Port 22",
            "ListenAddress \(spec.address(index))",
            "HostKey \(hostKeyPath)",
            "PidFile /run/sshd.pid",
            "AuthorizedKeysFile \(spec.clusterDir)/authorized_keys",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "PermitUserEnvironment no",
            "PermitUserRC no",
            "PrintMotd no",
            "PrintLastLog no",
            "UseDNS no",
            "X11Forwarding no",
            "AllowAgentForwarding no",
            "AllowTcpForwarding no",
            "MaxSessions 10",
            "MaxStartups 100:30:200",
            "Subsystem sftp internal-sftp",
            "LogLevel INFO",
        ]
        // OpenSSH 9.8+ penalises sources that fail to log in; tests do that on purpose.
        if openSSHVersion >= 9.8 { lines.append("PerSourcePenalties no") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// /etc/passwd with root's shell set to /bin/sh, so commands never read bash start-up files.
    func passwd() -> String {
        let text = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? "root:x:0:0:root:/root:/bin/sh\n"
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 7 && fields[0] == "root" { fields[6] = "/bin/sh" }
            return fields.joined(separator: ":")
        }.joined(separator: "\n")
    }

    /// /etc/hosts naming every node of the cluster (and the controller as `controller`).
    func hosts() -> String {
        var out = "127.0.0.1 localhost\n127.0.1.1 \(name)\n\(spec.bridgeAddress) controller\n"
        for i in 1...spec.nodeCount { out += "\(spec.address(i)) n\(i)\n" }
        return out
    }

    /// The argv that starts the node: its namespaces, mounts, sshd, then a reaping init as pid 1.
    func initCommand() -> [String] {
        let q = ShellQuote.quote
        let script = [
            "set -e",
            "hostname \(name)",
            "mount --bind \(q(dir + "/data")) \(q(ClusterSpec.nodeDataDir))",
            "mount --bind \(q(dir + "/tmp")) /tmp",
            "mount --bind \(q(dir + "/run")) /run",
            "mkdir -p /run/sshd && chmod 0755 /run/sshd",
            "mount --bind \(q(dir + "/passwd")) /etc/passwd",
            "mount --bind \(q(dir + "/hosts")) /etc/hosts",
            "mount --bind \(q(dir + "/hostname")) /etc/hostname",
            "/usr/sbin/sshd -f \(q(sshdConfigPath)) -E \(q(sshdLogPath))",
            // pid 1 of the node: reaps orphans (wait() sees every child of pid 1), exits on TERM.
            "exec perl -e '$SIG{TERM} = sub { exit 0 }; while (1) { sleep 1 if wait() == -1 }' schism-node-init",
        ].joined(separator: "\n")
        return [
            "ip", "netns", "exec", spec.netns(index),
            "unshare", "--pid", "--fork", "--mount-proc", "--mount", "--uts", "--propagation", "private",
            "sh", "-c", script, "schism-node-init",
        ]
    }
}
