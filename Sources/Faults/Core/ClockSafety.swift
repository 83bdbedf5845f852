import Control
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Refuses real-clock faults anywhere but on a real machine that hosts exactly one node.
///
/// A `system` node's clock is set with `date -s`, which changes the clock of the whole
/// kernel. Schism refuses when the node's host is loopback, a local-cluster address
/// (10.77.0.0/16), an address of this machine, shared by another node, or when the node's
/// kernel boot id equals this machine's or another node's (namespaces share one kernel).
public enum ClockSafety {
    /// The reason a `system` node's clock must not be set, from its configuration alone; nil when none.
    public static func staticRefusal(_ node: NodeConfig, among nodes: [NodeConfig]) -> String? {
        guard node.clock == .system else { return nil }
        let host = node.host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let why = "refusing to set the real clock of \(node.name) (\(node.host)): "
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
            || host == "0.0.0.0" || host == "::"
        {
            return why + "it is this machine (loopback). Use `clock: faketime` for nodes on one machine."
        }
        if host.hasPrefix("10.77.") {
            return why + "10.77.0.0/16 is the local cluster's network, whose nodes share this machine's clock; use `clock: faketime`."
        }
        if nodes.filter({ $0.host.lowercased() == node.host.lowercased() }).count > 1 {
            return why + "another node has the same host, and setting it would shift both."
        }
        if localAddresses().intersection(resolve(node.host)).isEmpty == false {
            return why + "it resolves to an address of this machine."
        }
        return nil
    }

    /// This machine's kernel boot id (`/proc/sys/kernel/random/boot_id`), shared by every namespace.
    public static func localBootID() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The command that prints a node's boot id.
    public static let bootIDScript = "cat /proc/sys/kernel/random/boot_id"

    /// The reason to refuse given the nodes' boot ids (by node name); nil when each is unique.
    public static func bootIDRefusal(_ bootIDs: [String: String], local: String?) -> String? {
        for (node, id) in bootIDs.sorted(by: { $0.key < $1.key }) {
            if let local, id == local {
                return "refusing to set the real clock of \(node): it runs on this machine's kernel (same boot id); use `clock: faketime`"
            }
            let sharing = bootIDs.filter { $0.value == id }.keys.sorted()
            if sharing.count > 1 {
                return "refusing to set the real clock of \(sharing.joined(separator: ", ")): they share one kernel (same boot id); use `clock: faketime`"
            }
        }
        return nil
    }

    /// The IPv4 and IPv6 addresses of this machine's interfaces, as text.
    static func localAddresses() -> Set<String> {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        return addresses(in: list, limit: 4096, address: \.ifa_addr, next: \.ifa_next)
    }

    /// The addresses `host` resolves to on this machine (empty when it does not resolve).
    static func resolve(_ host: String) -> Set<String> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [] }
        defer { freeaddrinfo(result) }
        return addresses(in: result, limit: 256, address: \.ai_addr, next: \.ai_next)
    }

    /// The numeric addresses of a C linked list (ifaddrs, addrinfo), at most `limit` entries.
    private static func addresses<Entry>(
        in list: UnsafeMutablePointer<Entry>?, limit: Int, address: KeyPath<Entry, UnsafeMutablePointer<sockaddr>?>,
        next: KeyPath<Entry, UnsafeMutablePointer<Entry>?>
    ) -> Set<String> {
        var out: Set<String> = []
        var cursor = list
        var count = 0
        while let entry = cursor, count < limit {
            count += 1
            if let a = entry.pointee[keyPath: address], let text = numericHost(a) { out.insert(text) }
            cursor = entry.pointee[keyPath: next]
        }
        return out
    }

    private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        let family = Int32(address.pointee.sa_family)
        guard family == AF_INET || family == AF_INET6 else { return nil }
        let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(separator: "%").first.map(String.init)
    }
}
