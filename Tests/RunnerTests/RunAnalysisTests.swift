import Basics
import Checkers
import Control
import Foundation
import Histories
import Plugins
import Results
@testable import Runner
import Testing

/// The end of `schism test`: the runner's own `test.json` read back and analysed through `RunAnalysis`.
struct RunAnalysisTests {
    @Test func theRunnersRecordIsReadBackAndAnalysed() throws {
        let root = NSTemporaryDirectory() + "schism-analysis-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFolder.create(root: root, workload: "w")
        let plan = try TestPlanParser(registry: BuiltIn.registry).parse(
            "name: w\ntime-limit: 5\nnemesis: {faults: [kill]}\n", file: "w.yml")
        let record = plan.record(seed: 5, nodes: [NodeConfig(name: "n1", host: "127.0.0.1")], version: "3.4.30").json
        try folder.write(record.jsonText + "\n", to: folder.testJSON)
        let lines = [
            #"{"index":0,"time":1000,"process":0,"type":"invoke","f":"write","key":"k","value":1}"#,
            #"{"index":1,"time":2000,"process":0,"type":"ok","f":"write","key":"k","value":1}"#,
            #"{"index":2,"time":3000,"process":1,"type":"invoke","f":"cas","key":"k","value":[1,2]}"#,
            #"{"index":3,"time":4000,"process":1,"type":"ok","f":"cas","key":"k","value":[1,2]}"#,
        ]
        try folder.write(lines.joined(separator: "\n") + "\n", to: folder.history)
        let log = RunLog(path: nil, echo: { _ in })
        #expect(Analysis(folder: folder, log: log, notes: ["read me"], checkers: BuiltIn.registry.checkers, faultColours: [:]).run() == .valid)

        let run = try StoredRun(path: folder.path)
        #expect(run.record.checkers == [LinearizabilityPlugin.runSpec(model: "cas-register")])
        #expect(run.record.faults == ["kill"])
        #expect(run.record.timeLimitSeconds == 5)
        #expect(run.record.nodes.map(\.name) == ["n1"])
        #expect(run.notes == ["read me"], "the notes are kept in results.json")
        let text = try String(contentsOfFile: folder.reportText, encoding: .utf8)
        #expect(text.hasPrefix("Schism test w: VALID\n"))
        #expect(text.contains("database:    etcd 3.4.30"))
    }
}
