/// Schism's exit statuses, the one table every command and library uses (docs/cli.md).
///
/// 0, 1 and 2 are verdicts (valid, invalid, unknown), as in Jepsen; the others follow
/// sysexits.h, and 128 + N means stopped by signal N.
public enum ExitStatus {
    /// Every check valid.
    public static let valid: Int32 = 0
    /// A consistency violation was found.
    public static let invalid: Int32 = 1
    /// Neither proved nor refuted (a time-out, a check that could not run).
    public static let unknown: Int32 = 2
    /// Bad arguments: an unknown flag, model or format, a malformed value.
    public static let usage: Int32 = 64
    /// Input that cannot be read: a malformed history, workload file or journal.
    public static let dataError: Int32 = 65
    /// A named file or folder does not exist or cannot be opened.
    public static let noInput: Int32 = 66
    /// A node, the cluster or the system under test cannot be reached or started.
    public static let unavailable: Int32 = 69
    /// A bug or an unexpected failure in Schism.
    public static let internalError: Int32 = 70
    /// An output file or folder cannot be written.
    public static let cannotCreate: Int32 = 73
    /// Permission denied: the command needs root, or a host key or login was refused.
    public static let permission: Int32 = 77
    /// Stopped by a signal: 128 + the signal (130 for SIGINT, 143 for SIGTERM).
    public static func interrupted(_ signal: Int32) -> Int32 { 128 + signal }
}
