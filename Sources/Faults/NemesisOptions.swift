/// How faults are sized and aimed: target choices, clock offsets, loss rates, timeouts.
///
/// Every random choice within these ranges is made with the generator passed to
/// `NemesisController.start`, so a seed reproduces the faults exactly.
public struct NemesisOptions: Sendable, Hashable {
    /// Target choices for kills (one is drawn per fault).
    public var killTargets: [TargetSpec] = [.one, .minority, .majority, .all]
    /// Target choices for pauses.
    public var pauseTargets: [TargetSpec] = [.one, .minority, .majority, .all]
    /// Target choices for clock faults.
    public var clockTargets: [TargetSpec] = [.one, .minority, .all]
    /// Target choices for packet loss (the chosen nodes drop packets from every peer).
    public var packetLossTargets: [TargetSpec] = [.one, .majority, .all]
    /// Magnitude of a clock bump in milliseconds; the sign is drawn too.
    public var clockBumpMilliseconds: ClosedRange<Int> = 100...5_000
    /// Magnitude of a strobe's swing in milliseconds.
    public var clockStrobeMilliseconds: ClosedRange<Int> = 100...2_000
    /// Milliseconds between two flips of a strobe.
    public var clockStrobePeriodMilliseconds: Int = 50
    /// How long a strobe flips, in milliseconds (the start call lasts this long).
    public var clockStrobeDurationMilliseconds: Int = 1_000
    /// Packet loss probabilities to draw from (0...1).
    public var packetLossProbabilities: [Double] = [0.1, 0.3, 0.5]
    /// Whether the database's server reads time through libc, so libfaketime reaches it.
    ///
    /// nil: look the database's name up in ``knownLibcTimeReaders``; unknown names are
    /// reported as "unknown" in every clock fault on faketime nodes.
    public var databaseReadsLibcTime: Bool?
    /// Path of libfaketime on the nodes; nil: the first of the usual Debian paths that exists.
    public var libfaketimePath: String?
    /// Seconds each fault command may run on a node.
    public var commandTimeoutSeconds: Double = 15

    /// Defaults.
    public init() {}

    /// Databases known to read (true) or not read (false) time through libc.
    ///
    /// etcd is a Go program: Go reads the clock through the vDSO, not libc, so libfaketime
    /// does not change the time it sees (measured on this project's machine: a Go program
    /// printed the real time under libfaketime, with and without cgo).
    public static let knownLibcTimeReaders: [String: Bool] = ["etcd": false, "dummy": true]

    /// Whether `database` reads time through libc: the option when set, else the known table.
    public func readsLibcTime(database: String?) -> Bool? {
        if let databaseReadsLibcTime { return databaseReadsLibcTime }
        guard let database else { return nil }
        return Self.knownLibcTimeReaders[database.lowercased()]
    }
}
