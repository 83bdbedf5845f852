import Basics
import Control
import Histories

#if canImport(Glibc)
    import Glibc
#endif

/// A node's clock offset measured after a clock fault (Jepsen's check-offsets).
public struct ClockOffset: Sendable, Hashable {
    /// The node.
    public var node: String
    /// Node time minus controller time, in milliseconds, corrected for the round trip.
    public var offsetMilliseconds: Double
    /// Half the round trip in milliseconds: the true offset lies within ± this.
    public var uncertaintyMilliseconds: Double

    /// `{"offset_ms":..., "uncertainty_ms":...}`.
    public var json: JSONValue {
        .object([
            "offset_ms": .double((offsetMilliseconds * 1000).rounded() / 1000),
            "uncertainty_ms": .double((uncertaintyMilliseconds * 1000).rounded() / 1000),
        ])
    }
}

/// The shell scripts of clock faults, and reading the controller's real-time clock.
///
/// faketime nodes: the offset is written to `<data_dir>/faketime` (libfaketime's
/// `FAKETIME_TIMESTAMP_FILE`, read on every call with `FAKETIME_NO_CACHE=1`) as seconds,
/// e.g. `+1.250` or `-0.100`; `+0` is no offset. system nodes: `date -s` (real VMs only,
/// after ``ClockSafety``), with NTP services stopped for the fault and restarted after it.
public enum ClockScripts {
    /// The timestamp file of a node (the path convention shared with the database code).
    public static func faketimePath(_ node: NodeConfig) -> String {
        node.dataDir.hasSuffix("/") ? node.dataDir + "faketime" : node.dataDir + "/faketime"
    }

    /// libfaketime's text for an offset of `milliseconds`: `+0`, `+1.250`, `-0.100`.
    public static func offsetText(milliseconds ms: Int) -> String {
        if ms == 0 { return "+0" }
        let magnitude = ms.magnitude
        let fraction = String(magnitude % 1000)
        let padded = String(repeating: "0", count: 3 - fraction.count) + fraction
        return (ms < 0 ? "-" : "+") + "\(magnitude / 1000).\(padded)"
    }

    /// Replaces the timestamp file atomically (write, then rename) with an offset.
    public static func writeFaketime(path: String, milliseconds: Int) -> String {
        let p = ShellQuote.quote(path)
        let tmp = ShellQuote.quote(path + ".schism-tmp")
        return "printf '%s\\n' \(ShellQuote.quote(offsetText(milliseconds: milliseconds))) > \(tmp) && mv -f \(tmp) \(p)"
    }

    /// Prints the node's time as seen by a libc program under libfaketime (`date +%s.%N`).
    public static func faketimeDate(path: String, library: String?) -> String {
        var s = "lib=\(ShellQuote.quote(library ?? ""))\n"
        s += "if [ -z \"$lib\" ]; then for f in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 "
        s += "/usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 "
        s += "/usr/local/lib/faketime/libfaketime.so.1; do [ -e \"$f\" ] && { lib=$f; break; }; done; fi\n"
        s += "[ -n \"$lib\" ] && [ -e \"$lib\" ] || { echo 'libfaketime not found (install the faketime package)' >&2; exit 3; }\n"
        s += "LD_PRELOAD=\"$lib\" FAKETIME_TIMESTAMP_FILE=\(ShellQuote.quote(path)) FAKETIME_NO_CACHE=1 date +%s.%N"
        return s
    }

    /// Prints the node's real clock.
    public static let systemDate = "date +%s.%N"

    /// Moves the real clock by `milliseconds` (root; real VMs only).
    public static func shiftSystemClock(milliseconds ms: Int) -> String {
        let seconds = offsetText(milliseconds: ms)
        return "now=$(date +%s.%N) && t=$(awk -v n=\"$now\" -v d=\(seconds) 'BEGIN{printf \"%.6f\", n+d}') && date -s \"@$t\" >/dev/null"
    }

    /// Sets the real clock to an absolute time (root; real VMs only).
    public static func setSystemClock(epochNanoseconds ns: Int64) -> String {
        let micros = ns / 1000
        let fraction = String(micros % 1_000_000)
        return "date -s @\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count) + fraction) >/dev/null"
    }

    /// NTP daemons Schism stops during a clock fault, by systemd unit name.
    public static let ntpServices = ["systemd-timesyncd", "chronyd", "chrony", "ntpsec", "ntpd", "ntp", "openntpd"]

    /// Stops whichever NTP services are active; prints the name of each one it stopped.
    public static let stopNTP =
        "command -v systemctl >/dev/null 2>&1 || exit 0\n"
        + "for s in \(ntpServices.joined(separator: " ")); do if systemctl is-active --quiet \"$s\" 2>/dev/null; then "
        + "systemctl stop \"$s\" && echo \"$s\"; fi; done; exit 0"

    /// Starts the given NTP services again.
    public static func startNTP(_ services: [String]) -> String {
        let known = services.filter { ntpServices.contains($0) }
        guard !known.isEmpty else { return "true" }
        return "systemctl start \(ShellQuote.join(known))"
    }

    /// Parses `date +%s.%N` output into nanoseconds since the epoch.
    public static func parseEpoch(_ text: String) -> Int64? {
        let trimmed = text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let seconds = Int64(parts[0]) else { return nil }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let digits = String(parts[1].prefix(9))
            guard let value = Int64(digits.isEmpty ? "0" : digits) else { return nil }
            var scale: Int64 = 1
            for _ in digits.count..<9 { scale *= 10 }
            nanos = value * scale
        }
        return seconds * 1_000_000_000 + (seconds < 0 ? -nanos : nanos)
    }

    /// The controller's real-time clock in nanoseconds since the epoch.
    public static func realtimeNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
