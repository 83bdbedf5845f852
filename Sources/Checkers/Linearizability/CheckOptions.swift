import Basics
import Histories

/// How to check a history.
public struct CheckOptions: Sendable {
    /// The initial value (nil: the model's default).
    public var initial: JSONValue?
    /// Check each key separately (P-compositionality). Off: the state is the whole history's.
    public var partitionByKey: Bool
    /// Give up (verdict unknown) after this long overall.
    public var timeoutSeconds: Double?
    /// Give up on one partition after this long (default ``defaultPartitionTimeoutSeconds``; nil: no limit).
    public var partitionTimeoutSeconds: Double?
    /// Partitions checked at once (default: every core).
    public var parallelism: Int
    /// Read an `ok` completion whose value is `null` as "value unknown" (Knossos) rather than
    /// "no value" (Porcupine, Schism). `CheckOptions.nullReadsAreUnknown(for:)` picks by format.
    public var nullReadsAreUnknown: Bool
    /// Once one partition is invalid, give the others as long again as the check has run (at most
    /// ``earlyStopGraceSeconds``) and then stop them (and skip those not started) as unknown: the
    /// verdict is invalid either way.
    public var stopEarly: Bool
    /// With ``stopEarly``: the longest the others may still run after the first invalid partition.
    public var earlyStopGraceSeconds: Double
    /// Stop (unknown) a search once the searches running together hold more than this many bytes
    /// (default ``defaultMaxMemoryBytes``; nil: no limit).
    public var maxMemoryBytes: Int?
    /// Told after each partition is decided: how many are done and how many there are in all.
    /// Called from the checking threads, so it must be cheap and safe to call concurrently.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    /// The time budget of one partition when none is given: 60 s.
    public static let defaultPartitionTimeoutSeconds = 60.0
    /// The grace period of the other partitions after an invalid one: 2 s.
    public static let defaultEarlyStopGraceSeconds = 2.0

    public init(
        initial: JSONValue? = nil, partitionByKey: Bool = true, timeoutSeconds: Double? = nil,
        partitionTimeoutSeconds: Double? = CheckOptions.defaultPartitionTimeoutSeconds,
        parallelism: Int = CheckOptions.coreCount, nullReadsAreUnknown: Bool = false, stopEarly: Bool = true,
        earlyStopGraceSeconds: Double = CheckOptions.defaultEarlyStopGraceSeconds,
        maxMemoryBytes: Int? = CheckOptions.defaultMaxMemoryBytes,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) {
        self.progress = progress
        self.nullReadsAreUnknown = nullReadsAreUnknown
        self.initial = initial
        self.partitionByKey = partitionByKey
        self.timeoutSeconds = timeoutSeconds
        self.partitionTimeoutSeconds = partitionTimeoutSeconds
        self.parallelism = max(1, parallelism)
        self.stopEarly = stopEarly
        self.earlyStopGraceSeconds = max(0, earlyStopGraceSeconds)
        self.maxMemoryBytes = maxMemoryBytes
    }

    /// The reading of `null` results that the format's own tools use: Jepsen/Knossos EDN
    /// records a read whose value it did not learn as `nil`, so EDN histories read it as unknown.
    public static func nullReadsAreUnknown(for format: HistoryFormat) -> Bool {
        format == .edn
    }

    /// The number of online cores.
    public static var coreCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }

    /// The memory limit when none is given: half of ``MachineMemory/totalBytes``, or nil when unknown.
    public static var defaultMaxMemoryBytes: Int? { MachineMemory.totalBytes.map { $0 / 2 } }
}

#if canImport(Glibc)
import Glibc
#endif

/// A history the checker cannot read: calls that do not pair, or operations the model does not know.
public struct CheckError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Index of the operation at fault, if any.
    public var index: Int?
    public var message: String

    public init(index: Int?, message: String) {
        self.index = index
        self.message = message
    }

    public var description: String {
        if let index { return "operation \(index): \(message)" }
        return message
    }
}
