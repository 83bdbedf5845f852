import Basics
import Histories

/// What the checker concluded about a whole history.
public struct CheckResult: Sendable {
    /// The model's name.
    public var model: String
    /// Every partition's verdict merged: invalid beats unknown beats valid.
    public var verdict: Verdict
    /// One result per key (or one for the whole history when not partitioned), in key order of first appearance.
    public var partitions: [PartitionResult]
    /// Client operations considered (invocations).
    public var operationCount: Int
    public var elapsedSeconds: Double

    /// The partitions that are not valid.
    public var failures: [PartitionResult] { partitions.filter { $0.verdict != .valid } }
}

/// The verdict for one partition (one key, or the whole history).
public struct PartitionResult: Sendable {
    /// The key; nil for unkeyed operations or a history checked as one partition.
    public var key: String?
    public var verdict: Verdict
    /// The partition's client operations, in invocation order.
    public var calls: [CallRecord]
    /// Operations the search had to place (ok and info writes; failed ops and unknown reads are dropped).
    public var searchedCount: Int
    public var elapsedSeconds: Double
    /// Why the verdict is unknown (time-out, cancellation), in prose.
    public var note: String?
    /// For an invalid (or unfinished) partition: how far a linearization got and what broke it.
    public var anomaly: Explanation?
    /// For an invalid partition: whether it is still sequentially consistent (process order
    /// kept, real time dropped); nil when not asked or not decided.
    public var sequentiallyConsistent: Bool? = nil
}

/// The explanation of a non-linearizable partition.
public struct Explanation: Sendable {
    /// One operation placed in the longest linearizable prefix.
    public struct Step: Sendable {
        /// Index of the operation's invocation in the history.
        public var op: Int
        /// The operation as the model reads it (`read 3`).
        public var call: String
        /// The model state just after it.
        public var stateAfter: String
    }

    /// What happens when an operation is tried right after the prefix.
    public struct Attempt: Sendable {
        public var op: Int
        public var call: String
        /// Whether the model allows it there (and then a later operation fails instead).
        public var allowed: Bool
        /// Why not, or the state it would lead to.
        public var reason: String
    }

    /// The longest linearizable prefix found, in linearization order.
    public var prefix: [Step]
    /// The model state after the prefix (the initial state if the prefix is empty).
    public var stateAfterPrefix: String
    /// The operation (invocation index) whose completion comes first among those left: it must
    /// take effect before then, and no order allows it.
    public var blocking: Int?
    /// Every operation that could come next, and what the model says of it.
    public var attempts: [Attempt]
    /// The explanation in prose, for the text report.
    public var prose: String
}
