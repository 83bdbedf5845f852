/// One anomaly in a transactional history: Elle's name, the transactions, the cycle, the prose.
public struct TxnAnomaly: Sendable {
    /// Elle's anomaly name: `G0`, `G1a`, `G-single-item-realtime`, `lost-update`, ...
    public var kind: String
    /// Transaction ids involved (the cycle's, in order, for a cycle).
    public var transactions: [Int]
    /// The dependency cycle that witnesses it, for cycle anomalies.
    public var cycle: DependencyCycle?
    /// The explanation a person can check by hand, naming the transactions with their full text.
    public var prose: String
}

/// Anomalies gathered by kind: every one counted, a few kept with their prose (bounded memory).
struct AnomalyLog {
    /// How many examples of each kind are kept.
    var keep = 8
    private(set) var examples: [String: [TxnAnomaly]] = [:]
    private(set) var counts: [String: Int] = [:]

    /// Counts an anomaly of `kind`; builds and keeps its example only while fewer than ``keep`` are kept.
    mutating func add(_ kind: String, _ make: () -> TxnAnomaly) {
        counts[kind, default: 0] += 1
        if examples[kind, default: []].count < keep { examples[kind, default: []].append(make()) }
    }

    /// The kinds found, sorted.
    var kinds: [String] { counts.keys.sorted() }
}
