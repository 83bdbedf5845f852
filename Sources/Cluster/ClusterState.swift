import Foundation

/// What `up` created, written before anything is created and updated as it goes, so
/// `down` removes exactly that, also after a crash.
public struct ClusterState: Codable, Sendable, Hashable {
    /// One node's process record.
    public struct Node: Codable, Sendable, Hashable {
        /// `n1`...
        public var name: String
        /// Its network namespace.
        public var netns: String
        /// Its address.
        public var address: String
        /// Host pid of the node's init (pid 1 of its pid namespace), when running.
        public var initPid: Int32?
        /// Start time of that process (clock ticks since boot, /proc/<pid>/stat field 22), to tell it from a reused pid.
        public var initStartTicks: UInt64?
    }

    /// The cluster's parameters.
    public var spec: ClusterSpec
    /// Whether `up` created the bridge.
    public var bridgeCreated: Bool = false
    /// Whether `up` inserted the FORWARD accept rule for the bridge (when bridged traffic is filtered).
    public var forwardRuleAdded: Bool = false
    /// Nodes, by index order.
    public var nodes: [Node] = []

    /// Reads a state file; nil when missing or unreadable.
    public static func load(_ path: String) -> ClusterState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ClusterState.self, from: data)
    }

    /// Writes the state file atomically.
    public func save(_ path: String) throws(ClusterError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ClusterError(.cannotCreate, "cannot write the cluster state \(path): \(error)")
        }
    }
}

/// Facts about processes from /proc.
enum ProcInfo {
    /// Start time in clock ticks since boot (field 22 of /proc/<pid>/stat), nil if gone.
    static func startTicks(_ pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, starttime field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// Whether pid is alive and is the same process as recorded (not a zombie).
    static func isSame(_ pid: Int32, startTicks: UInt64?) -> Bool {
        guard let ticks = Self.startTicks(pid), ticks == startTicks else { return false }
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return false }
        return !text[text.index(after: close)...].hasPrefix(" Z")
    }

    /// The pid a process has inside its innermost pid namespace (last NSpid entry).
    static func innermostPid(_ pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("NSpid:") {
            return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).last.flatMap { Int32($0) }
        }
        return nil
    }
}
