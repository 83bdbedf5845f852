/// How much of a check result the reports show, so that huge histories give reports of bounded size.
///
/// Every report lists at most `detailedKeys` failing keys in full, names up to `namedKeys` more and
/// counts the rest. Values and model states longer than `valueChars` characters are cut with `…`.
public struct ReportLimits: Sendable, Equatable {
    /// Failing keys explained in full (prose, prefix, candidates, timeline).
    public var detailedKeys: Int
    /// Failing keys named, beyond the detailed ones, before only a count is given.
    public var namedKeys: Int
    /// Operations of the longest linearizable prefix listed in the text report (the last ones).
    public var prefixTail: Int
    /// Candidate operations (attempts) listed per key.
    public var attempts: Int
    /// HTML timeline: operations drawn before the blocking operation, in invocation order
    /// (and as many of the last prefix operations).
    public var windowBefore: Int
    /// HTML timeline: operations drawn after the blocking operation, in invocation order.
    public var windowAfter: Int
    /// HTML: rows of the partition table.
    public var tableRows: Int
    /// Characters of a value, model state or key shown before it is cut.
    public var valueChars: Int
    /// Lines of the checker's prose shown before it is cut.
    public var proseLines: Int
    /// HTML timeline: nemesis (fault) operations drawn per key.
    public var nemesisOps: Int

    /// The defaults: 10 keys in detail, a window of 200 operations before the anomaly and 50 after.
    public init(
        detailedKeys: Int = 10, namedKeys: Int = 50, prefixTail: Int = 8, attempts: Int = 50,
        windowBefore: Int = 200, windowAfter: Int = 50, tableRows: Int = 500, valueChars: Int = 160,
        proseLines: Int = 40, nemesisOps: Int = 100
    ) {
        self.detailedKeys = max(0, detailedKeys)
        self.namedKeys = max(0, namedKeys)
        self.prefixTail = max(0, prefixTail)
        self.attempts = max(0, attempts)
        self.windowBefore = max(0, windowBefore)
        self.windowAfter = max(0, windowAfter)
        self.tableRows = max(0, tableRows)
        self.valueChars = max(8, valueChars)
        self.proseLines = max(1, proseLines)
        self.nemesisOps = max(0, nemesisOps)
    }
}
