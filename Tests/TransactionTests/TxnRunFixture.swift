import Basics
import Checkers
import ClusterTestKit
import Control
import Foundation
import Plugins
import Results
import Runner
import Systems
import Testing

/// Helpers for whole transactional runs on a suite's local cluster, and the shape every history
/// of the transaction contract must have.
enum TxnRunFixture {
    /// Whether the `list-append` checker is registered (it arrives with the checker's branch);
    /// until then runs cannot be judged and only their histories' shape is asserted.
    static let hasListAppendChecker = BuiltIn.registry.checkers.plugin("list-append") != nil

    /// A plan parsed from `text` by the built-in registry.
    static func plan(_ text: String, seed: UInt64 = 1) throws -> TestPlan {
        var plan = try TestPlanParser(registry: BuiltIn.registry).parse(text, file: "itest.yml")
        plan.seed = seed
        return plan
    }

    /// Runs `plan` on the suite's cluster.
    static func run(_ plan: TestPlan) async throws -> (TestRun.Outcome, TestCluster) {
        let nodes = try LocalClusterTrait.nodes()
        let cluster = TestCluster(nodes: nodes.nodes, remotes: RemoteSet(nodesFile: nodes))
        let run = TestRun(
            plan: plan, seed: plan.seed ?? 1, cluster: cluster, registry: BuiltIn.registry,
            resultsRoot: NSTemporaryDirectory() + "schism-txn-\(UUID().uuidString)")
        let outcome = await run.run(stop: StopSignal()) { _ in }
        return (outcome, cluster)
    }

    /// The client operations (not the nemesis's) of a history file.
    static func operations(_ path: String) throws -> [[String: JSONValue]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard case .object(let o) = try JSONValue.parse(String(line)), o["process"]?.intValue != nil else { return nil }
            return o
        }
    }

    /// Counts of a history's completions by type, after checking its shape: every operation a
    /// `txn` with no key; micro-ops `[fn, int key, value]`; every read of an `ok` filled with a
    /// list (or, for registers, an integer or null); written values unique per key; reads that
    /// only hold written values.
    static func expectShape(_ ops: [[String: JSONValue]], write: String) -> [String: Int] {
        var types: [String: Int] = [:]
        var written: [Int64: Set<Int64>] = [:]
        var duplicates = 0
        for op in ops where op["type"] == "invoke" {
            for m in op["value"]?.arrayValue ?? [] {
                guard let p = m.arrayValue, p[0].stringValue == write, let k = p[1].intValue, let v = p[2].intValue else { continue }
                if !written[k, default: []].insert(v).inserted { duplicates += 1 }
            }
        }
        #expect(duplicates == 0, "values written twice to a key")
        for op in ops {
            #expect(op["f"] == "txn" && op["key"] == nil, "\(op)")
            let type = op["type"]?.stringValue ?? "?"
            types[type, default: 0] += 1
            let micro = op["value"]?.arrayValue ?? []
            #expect(!micro.isEmpty)
            for m in micro {
                let p = m.arrayValue ?? []
                #expect(p.count == 3 && p[1].intValue != nil, "\(m.jsonText)")
                guard p.count == 3, p[0] == "r", let k = p[1].intValue else { continue }
                if type == "ok" {
                    if write == "append" {
                        let list = p[2].arrayValue
                        #expect(list != nil, "a read of an ok transaction is not a list: \(m.jsonText)")
                        #expect((list ?? []).allSatisfy { $0.intValue.map { written[k]?.contains($0) ?? false } ?? false }, "\(m.jsonText) reads a value never written")
                    } else {
                        #expect(p[2] == .null || p[2].intValue.map { written[k]?.contains($0) ?? false } == true, "\(m.jsonText)")
                    }
                } else {
                    #expect(p[2] == .null, "an unfinished read carries a value: \(m.jsonText)")
                }
            }
        }
        return types
    }

    /// The anomaly kinds the `list-append` checker finds in a run when judged for `consistency`.
    static func anomalies(_ folder: RunFolder, consistency: String) throws -> (Verdict, Set<String>) {
        let stored = try StoredRun(path: folder.path)
        let outcome = try RunAnalysis.analyze(
            stored, specs: [CheckerSpec("list-append", options: ["consistency": .string(consistency)])],
            registry: BuiltIn.registry.checkers, write: false)
        return (outcome.verdict, Set(outcome.outcomes.flatMap(\.findings).map(\.kind)))
    }
}
