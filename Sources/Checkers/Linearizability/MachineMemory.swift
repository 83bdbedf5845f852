#if canImport(Glibc)
import Glibc
#endif

/// The memory this process may use, and byte counts as people write them.
public enum MachineMemory {
    /// The machine's memory (`MemTotal` in /proc/meminfo), capped by the cgroup's `memory.max`
    /// when one is set; nil when neither can be read.
    public static let totalBytes: Int? = {
        let total = firstLine(of: "/proc/meminfo", startingWith: "MemTotal:")
            .flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
            .map { $0 * 1024 }
        let cgroup = firstLine(of: "/sys/fs/cgroup/memory.max", startingWith: "")
            .flatMap { Int($0.trimmingSuffix()) }
        switch (total, cgroup) {
        case let (t?, c?): return min(t, c)
        case let (t?, nil): return t
        case let (nil, c?): return c
        case (nil, nil): return nil
        }
    }()

    /// Bytes from `512MB`, `2GB`, `1.5G`, `4096` (bytes), with K/M/G/T in powers of 1024; nil otherwise.
    public static func parseBytes(_ text: String) -> Int? {
        var digits = Substring(text.uppercased())
        if digits.hasSuffix("B") { digits = digits.dropLast() }
        if digits.hasSuffix("I") { digits = digits.dropLast() }
        var scale = 1.0
        if let last = digits.last, let power = ["K", "M", "G", "T"].firstIndex(of: String(last)) {
            scale = Double(1 << (10 * (power + 1)))
            digits = digits.dropLast()
        }
        guard let v = Double(digits), v > 0, v.isFinite, v * scale < 9e18 else { return nil }
        return Int(v * scale)
    }

    /// A byte count in whole megabytes, rounded up (so that a count above a limit never reads as equal), for notes.
    static func megabytes(_ bytes: Int) -> String { "\((bytes + (1 << 20) - 1) >> 20) MB" }

    /// The first line of a small text file that starts with `prefix`, or nil.
    private static func firstLine(of path: String, startingWith prefix: String) -> String? {
        #if canImport(Glibc)
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if line.hasPrefix(prefix) { return line }
        }
        #endif
        return nil
    }
}

extension String {
    /// The string without trailing newlines and spaces.
    fileprivate func trimmingSuffix() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
