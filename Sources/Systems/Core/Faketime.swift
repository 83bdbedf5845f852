/// Where libfaketime is found on a node, shared by every system that preloads it.
public enum Faketime {
    /// Places libfaketime is looked for on a node, in order (Debian's first).
    public static let libraryCandidates = [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
        "/usr/local/lib/faketime/libfaketime.so.1",
        "/usr/lib64/faketime/libfaketime.so.1",
    ]
}
