import Control
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the local cluster needs from the machine: root, and a few Debian packages.
public enum Prerequisites {
    /// Programs (or files) and the Debian package that provides each.
    static let needs: [(path: String, package: String)] = [
        ("ip", "iproute2"), ("unshare", "util-linux"), ("setsid", "util-linux"), ("mount", "mount"),
        ("/usr/sbin/sshd", "openssh-server"), ("ssh-keygen", "openssh-client"), ("perl", "perl-base"),
        ("timeout", "coreutils"), ("iptables", "iptables"), ("faketime", "faketime"),
    ]

    /// Throws `.notRoot` unless running as root.
    public static func requireRoot(_ action: String) throws(ClusterError) {
        guard geteuid() == 0 else {
            throw ClusterError(
                .notRoot, "\(action) needs root: it creates network namespaces, a bridge and per-node sshd daemons",
                hint: "run it as root, e.g. `sudo schism cluster up`")
        }
    }

    /// The Debian packages whose programs are missing.
    public static func missingPackages() -> [String] {
        var missing: [String] = []
        for need in needs where LocalProcess.which(need.path) == nil && !missing.contains(need.package) {
            missing.append(need.package)
        }
        let faketimeLibs = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1"]
        if !faketimeLibs.contains(where: { FileManager.default.fileExists(atPath: $0) }) && !missing.contains("libfaketime") {
            missing.append("libfaketime")
        }
        return missing
    }

    /// Installs missing packages with apt-get when `install` is true; otherwise throws naming them.
    public static func ensurePackages(install: Bool) async throws(ClusterError) {
        let missing = missingPackages()
        if missing.isEmpty { return }
        guard install else {
            throw ClusterError(
                .missingPackages, "the local cluster needs these Debian packages: \(missing.joined(separator: " "))",
                hint: "`apt-get install \(missing.joined(separator: " "))`, or rerun with --install-packages")
        }
        print("cluster: installing \(missing.joined(separator: " ")) with apt-get")
        let env = ProcessInfo.processInfo.environment.merging(["DEBIAN_FRONTEND": "noninteractive"]) { $1 }
        for argv in [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing] {
            let out = try? await LocalProcess.run(argv, timeoutSeconds: 900, environment: env)
            guard let out, out.exitStatus == 0 else {
                throw ClusterError(
                    .missingPackages, "`\(argv.joined(separator: " "))` failed", detail: tailLines(out?.stderrText ?? ""))
            }
        }
    }

    /// The OpenSSH version of the installed sshd (`9.2`), 0 when unknown.
    static func openSSHVersion() async -> Double {
        guard let out = try? await LocalProcess.run(["/usr/sbin/sshd", "-V"], timeoutSeconds: 5) else { return 0 }
        let text = out.stderrText + out.stdoutText
        guard let range = text.range(of: "OpenSSH_") else { return 0 }
        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".")
        guard let major = parts.first.flatMap({ Double($0) }) else { return 0 }
        let minor = parts.dropFirst().first.flatMap { Double($0) } ?? 0
        return major + minor / 10
    }
}
