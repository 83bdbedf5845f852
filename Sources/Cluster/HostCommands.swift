import Control
import Foundation

/// The host-side commands of the local cluster (`ip`, `iptables`, `ssh-keygen`), with errors that name them.
enum HostCommands {
    /// Runs a command; throws `.cannotCreate` with its output unless it exits 0.
    @discardableResult
    static func run(_ argv: [String], timeoutSeconds: Double = 20) async throws(ClusterError) -> String {
        do {
            return try await LocalProcess.check(argv, timeoutSeconds: timeoutSeconds)
        } catch {
            throw ClusterError(.cannotCreate, "`\(ShellQuote.join(argv))` failed: \(error.message)", detail: error.stderrTail)
        }
    }

    /// Runs a command and reports whether it exited 0 (for checks and best-effort removal).
    static func succeeds(_ argv: [String], timeoutSeconds: Double = 20) async -> Bool {
        guard let out = try? await LocalProcess.run(argv, timeoutSeconds: timeoutSeconds) else { return false }
        return out.exitStatus == 0 && !out.timedOut
    }

    /// Names of network namespaces (`ip netns list`).
    static func netnsList() async -> [String] {
        guard let out = try? await LocalProcess.run(["ip", "netns", "list"]) else { return [] }
        return out.stdoutText.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Names of links in the root namespace.
    static func linkNames() async -> Set<String> {
        guard let out = try? await LocalProcess.run(["ip", "-o", "link", "show"]) else { return [] }
        var names = Set<String>()
        for line in out.stdoutText.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2)
            guard fields.count >= 2 else { continue }
            let name = fields[1].trimmingCharacters(in: .whitespaces)
            names.insert(String(name.split(separator: "@").first ?? Substring(name)))
        }
        return names
    }

    /// Host pids of every process in a network namespace (`ip netns pids`).
    static func pids(inNetns netns: String) async -> [Int32] {
        guard let out = try? await LocalProcess.run(["ip", "netns", "pids", netns]) else { return [] }
        return out.stdoutText.split(separator: "\n").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// SIGKILLs every process in a namespace (all were started by the cluster) and waits until none is left (≤ 3 s).
    static func killAll(inNetns netns: String) async {
        for _ in 0..<30 {
            let pids = await pids(inNetns: netns)
            if pids.isEmpty { return }
            for pid in pids where pid > 1 { kill(pid, SIGKILL) }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// Creates an ed25519 key pair at `path` unless it exists.
    static func ensureKey(_ path: String, comment: String) async throws(ClusterError) {
        if FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: path + ".pub") {
            return
        }
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".pub")
        try await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path])
    }

    /// Whether bridged traffic passes through iptables (br_netfilter loaded and enabled).
    static var bridgeTrafficFiltered: Bool {
        let text = try? String(contentsOfFile: "/proc/sys/net/bridge/bridge-nf-call-iptables", encoding: .utf8)
        return text?.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }
}
