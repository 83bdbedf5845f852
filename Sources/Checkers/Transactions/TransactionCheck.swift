import Basics
import Histories

/// What a transactional check found: anomalies by Elle's names, the models they rule out, and
/// the strongest models the history is still consistent with.
public struct TransactionResult: Sendable {
    /// `list-append` or `rw-register`.
    public var workload: String
    /// The model checked against.
    public var consistency: String
    public var verdict: Verdict
    /// Every anomaly kind found, sorted.
    public var anomalyTypes: [String]
    /// How many of each kind were found.
    public var counts: [String: Int]
    /// A few examples of each kind, with prose (bounded).
    public var anomalies: [TxnAnomaly]
    /// Models the anomalies rule out (Elle's names).
    public var ruledOut: [String]
    /// The strongest models still consistent with the history.
    public var strongest: [String]
    /// Why the verdict is unknown, when it is.
    public var unknownReason: String?
    public var transactionCount: Int
    public var edgeCount: Int
    public var elapsedSeconds: Double
}

/// The Elle-style check of list-append or rw-register histories against a consistency model.
///
/// Pure: infers version orders, runs the checks that need no graph, builds the dependency graph
/// (ww, wr, rw, process and real-time edges), finds strongly connected components and, inside
/// each, the shortest cycle that witnesses each anomaly class within a work budget.
public struct TransactionCheck: Checker {
    /// `list-append` or `rw-register`.
    public var name: String
    /// An Elle model name from ``ConsistencyModels/names``.
    public var consistency: String
    /// Edge visits allowed per component and anomaly class beyond the first search.
    public var cycleBudget: Int
    /// Examples of each anomaly kind kept with prose.
    public var examplesPerKind: Int

    public init(listAppend: Bool, consistency: String = "strict-serializable", cycleBudget: Int = 2_000_000, examplesPerKind: Int = 8) {
        name = listAppend ? "list-append" : "rw-register"
        self.consistency = consistency
        self.cycleBudget = cycleBudget
        self.examplesPerKind = examplesPerKind
    }

    public func check(_ history: History) -> CheckerOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let txns: TxnHistory
        let result: TransactionResult
        do {
            txns = try TxnHistory(history: history, listAppend: name == "list-append")
            result = try analyze(txns, start: start)
        } catch {
            return .malformed(name, reason: error.description)
        }
        return outcome(result, txns)
    }

    /// The generic outcome of `result`; the result and the transactions are the payload.
    public func outcome(_ result: TransactionResult, _ txns: TxnHistory) -> CheckerOutcome {
        let findings = result.anomalies.map { a in
            Finding(kind: a.kind, operations: a.transactions.prefix(1_000).map { Int(txns.invokeIndex[$0]) }, prose: a.prose)
        }
        var summary = "\(result.transactionCount) transactions, \(result.edgeCount) dependencies"
        if result.anomalyTypes.isEmpty {
            summary += ", no anomalies"
        } else {
            summary += ", anomalies: " + result.anomalyTypes.map { "\($0) (\(result.counts[$0] ?? 0))" }.joined(separator: ", ")
        }
        summary += "; strongest model still consistent: " + (result.strongest.isEmpty ? "none" : result.strongest.joined(separator: ", "))
        let details: JSONValue = .object([
            "workload": .string(result.workload), "consistency": .string(result.consistency),
            "anomalyTypes": .array(result.anomalyTypes.map(JSONValue.string)),
            "anomalyCounts": .object(result.counts.mapValues { .int(Int64($0)) }),
            "ruledOut": .array(result.ruledOut.map(JSONValue.string)),
            "strongestConsistent": .array(result.strongest.map(JSONValue.string)),
            "transactions": .int(Int64(result.transactionCount)), "edges": .int(Int64(result.edgeCount)),
        ])
        return CheckerOutcome(
            checker: name, verdict: result.verdict, summary: summary, findings: findings,
            unknownReason: result.unknownReason, elapsedSeconds: result.elapsedSeconds, details: details,
            payload: TransactionPayload(result: result, txns: txns))
    }

    /// Checks transactions already in flat form (the generator's and the benchmark's way in).
    public func analyze(_ h: TxnHistory, start: ContinuousClock.Instant = ContinuousClock.now) throws(TxnHistoryError) -> TransactionResult {
        var log = AnomalyLog()
        log.keep = examplesPerKind
        var edges = EdgeList()
        let explain: (Int, Int, EdgeKind, Int32) -> String
        if h.listAppend {
            var inference = ListAppendInference(h)
            try inference.run(&log, &edges)
            let done = inference
            explain = { done.explain($0, $1, $2, key: $3) }
        } else {
            var inference = RegisterInference(h)
            try inference.run(&log, &edges)
            let done = inference
            explain = { done.explain($0, $1, $2, key: $3) }
        }
        OrderEdges.process(h, &edges)
        OrderEdges.realtime(h, &edges)
        let graph = DependencyGraph(nodeCount: h.count, edges: edges)
        edges = EdgeList()
        var exhausted: [String] = []
        let search = CycleSearch(graph: graph, budget: cycleBudget)
        var local = [Int32](repeating: -1, count: h.count)
        for variant in [EdgeKind(), .process, .realtime] {
            for component in graph.components(mask: EdgeKind.data.union(variant)) {
                for spec in CycleSpec.all(variant: variant) {
                    let found = search.search(spec, in: component, local: &local)
                    if found.exhausted { exhausted.append(spec.name) }
                    guard let cycle = found.cycle else { continue }
                    log.add(spec.name) {
                        TxnAnomaly(kind: spec.name, transactions: cycle.nodes, cycle: cycle,
                                   prose: Self.cycleProse(spec.name, cycle, h, explain))
                    }
                }
            }
        }
        let kinds = log.kinds
        let violations = ConsistencyModels.violations(of: consistency, in: kinds)
        let banned = ConsistencyModels.prohibited(by: consistency)
        let undecided = Set(exhausted).filter { !ConsistencyModels.closure(of: [$0]).isDisjoint(with: banned) }
        let verdict: Verdict = !violations.isEmpty ? .invalid : undecided.isEmpty ? .valid : .unknown
        let order = kinds
        return TransactionResult(
            workload: h.listAppend ? "list-append" : "rw-register", consistency: consistency, verdict: verdict,
            anomalyTypes: kinds, counts: log.counts,
            anomalies: order.flatMap { log.examples[$0] ?? [] },
            ruledOut: ConsistencyModels.ruledOut(by: kinds), strongest: ConsistencyModels.strongest(given: kinds),
            unknownReason: verdict == .unknown
                ? "the cycle search ran out of its budget (\(cycleBudget) steps per component) before it could rule out \(undecided.sorted().joined(separator: ", "))"
                : nil,
            transactionCount: h.count, edgeCount: graph.edgeCount,
            elapsedSeconds: (ContinuousClock.now - start).seconds)
    }

    /// The most transactions and edges of one cycle spelled out in prose.
    public static let maxShown = 24

    /// What each cycle class is, in a few words.
    static func meaning(_ kind: String) -> String {
        var base = Substring(kind)
        for suffix in ["-process", "-realtime"] where base.hasSuffix(suffix) { base = base.dropLast(suffix.count) }
        var text: String
        switch base {
        case "G0": text = "a write cycle (dirty write): only ww edges"
        case "G1c": text = "circular information flow: ww and wr edges, at least one wr"
        case "G-single-item": text = "read skew: exactly one rw edge"
        case "G2-item": text = "write skew: two or more rw edges"
        default: text = "a dependency cycle"
        }
        if kind.hasSuffix("-process") { text += ", and at least one process-order edge" }
        if kind.hasSuffix("-realtime") { text += ", and at least one real-time edge" }
        return text
    }

    /// The prose of a cycle: the transactions in full, each edge and why it exists, and the conclusion.
    static func cycleProse(_ kind: String, _ cycle: DependencyCycle, _ h: TxnHistory, _ explain: (Int, Int, EdgeKind, Int32) -> String) -> String {
        var lines = ["\(kind): a cycle of \(cycle.nodes.count) transactions, \(meaning(kind))."]
        // A cycle can be as long as the history: show its first transactions and edges, count the rest.
        let shown = min(cycle.nodes.count, maxShown)
        for t in cycle.nodes.prefix(shown) { lines.append("  " + h.text(t)) }
        if shown < cycle.nodes.count { lines.append("  … and \(cycle.nodes.count - shown) more transactions") }
        for (i, a) in cycle.nodes.enumerated().prefix(shown) {
            let b = cycle.nodes[(i + 1) % cycle.nodes.count]
            let kind = cycle.kinds[i]
            let why: String
            switch kind {
            case .process: why = "T\(a) and T\(b) ran on process \(h.process[a]), T\(a) first, so T\(a) < T\(b) (process)."
            case .realtime: why = "T\(a) completed (operation \(h.completeIndex[a])) before T\(b) was invoked (operation \(h.invokeIndex[b])), so T\(a) < T\(b) (realtime)."
            default: why = explain(a, b, kind, cycle.keys[i])
            }
            lines.append("  " + why)
        }
        if shown < cycle.nodes.count { lines.append("  … and \(cycle.nodes.count - shown) more edges") }
        let names = shown < cycle.nodes.count
            ? cycle.nodes.prefix(shown).map { "T\($0)" }.joined(separator: " < ") + " < … < T\(cycle.nodes[0])"
            : (cycle.nodes + [cycle.nodes[0]]).map { "T\($0)" }.joined(separator: " < ")
        let ruled = ConsistencyModels.ruledOut(by: [kind])
        lines.append("  So \(names): a cycle, so no order of these transactions explains what they saw; this rules out "
            + (ruled.isEmpty ? "no model checked here." : ruled.joined(separator: ", ") + "."))
        return lines.joined(separator: "\n")
    }
}

/// The payload of a transactional outcome, for the report renderer.
public struct TransactionPayload: Sendable {
    public var result: TransactionResult
    public var txns: TxnHistory
}
