import Control

/// Starting a daemon under libfaketime, so clock faults reach programs that read time through libc.
///
/// The clock faults write an offset to the node's timestamp file (`<dataDir>/faketime`);
/// `FAKETIME_NO_CACHE=1` makes the preloaded library read it on every clock call.
public enum Faketime {
    /// Places libfaketime is looked for on a node, in order.
    public static let libraryCandidates = [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
        "/usr/local/lib/faketime/libfaketime.so.1",
        "/usr/lib64/faketime/libfaketime.so.1",
    ]

    /// Shell lines that set `$lib` to libfaketime (or call `fail MESSAGE 3`, which the script
    /// defines) and create `timestampFile` with `+0` if missing; and the `env` words to put
    /// before the daemon's command line.
    public static func launch(library: String?, timestampFile: String) -> (script: String, env: [String]) {
        let q = ShellQuote.quote
        let candidates = library.map { [$0] } ?? libraryCandidates
        var s = "lib=\nfor p in \(candidates.map(q).joined(separator: " ")); do "
        s += "if [ -f \"$p\" ]; then lib=$p; break; fi; done\n"
        s += "[ -n \"$lib\" ] || fail \"libfaketime not found on this node (looked in: "
        s += candidates.joined(separator: " ") + "); install Debian's libfaketime\" 3\n"
        s += "[ -f \(q(timestampFile)) ] || printf '+0\\n' > \(q(timestampFile))\n"
        return (s, ["\"LD_PRELOAD=$lib\"", q("FAKETIME_TIMESTAMP_FILE=\(timestampFile)"), "FAKETIME_NO_CACHE=1"])
    }
}
