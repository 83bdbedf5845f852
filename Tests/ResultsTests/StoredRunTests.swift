import Basics
import Checkers
import Foundation
import Histories
import Results
import Testing

@Suite("Stored runs")
struct StoredRunTests {
    @Test("reads back what RunFolder and RunRecord wrote, through the folder and both latest links")
    func roundTrip() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 1), root: root)
        for path in [folder.path, root + "/latest", root + "/fixture/latest"] {
            #expect(RunFolder.isRunFolder(path), "\(path)")
            let run = try StoredRun(path: path)
            #expect(run.record == RunFixtures.record())
            #expect(run.folder.path == RunFolder.resolvingLinks(folder.path))
            #expect(try run.readHistory().operations.count == 6)
            let meta = run.metadata
            #expect(meta.workload == "fixture")
            #expect(meta.seed == 18_446_744_073_709_551_557)
            #expect(meta.nodes == ["n1", "n2"])
            #expect(meta.nemeses == ["partition"])
        }
        #expect(!RunFolder.isRunFolder(root))
    }

    @Test("test.json keeps the runner's other fields and the checkers' options")
    func recordJSON() throws {
        let json = RunFixtures.record().json
        guard case .object(let top) = json, case .object(let w)? = top["workload"] else {
            Issue.record("not an object: \(json)")
            return
        }
        #expect(w["rate"] == .number(50))
        #expect(w["nemeses"] == .array(["partition"]))
        #expect(top["seed"] == "18446744073709551557")
        #expect(top["checkers"] == .array([
            .object(["name": "linearizability", "options": .object([
                "model": "cas-register", "timeoutSeconds": .number(300), "partitionTimeoutSeconds": .number(60),
            ])]),
        ]))
    }

    @Test("a missing test.json or history.jsonl is an error that names the file")
    func missingFiles() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 1), root: root)
        try FileManager.default.removeItem(atPath: folder.history)
        let noHistory = #expect(throws: RunError.self) { try StoredRun(path: folder.path) }
        #expect(noHistory?.path == folder.history)
        #expect(noHistory?.exitCode == ExitStatus.noInput)
        #expect(noHistory?.description.contains("history.jsonl: missing") == true)
        try FileManager.default.removeItem(atPath: folder.testJSON)
        let noTest = #expect(throws: RunError.self) { try StoredRun(path: folder.path) }
        #expect(noTest?.path == folder.testJSON)
        let nothing = #expect(throws: RunError.self) { try StoredRun(path: root + "/nowhere") }
        #expect(nothing?.description == root + "/nowhere: no such run folder")
    }

    @Test("a test.json that is not JSON, or names no checker, is an error that says so")
    func badRecord() throws {
        let root = RunFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try RunFixtures.write(RunFixtures.history(read: 1), record: RunFixtures.record(checkers: []), root: root)
        let registry = CheckerRegistry([LinearizabilityPlugin()])
        let none = #expect(throws: RunError.self) { try RunAnalysis.analyze(try StoredRun(path: folder.path), registry: registry, write: false) }
        #expect(none?.path == folder.testJSON)
        #expect(none?.exitCode == ExitStatus.dataError)
        #expect(none?.message.contains("names no checker; known checkers: linearizability") == true)
        try folder.write(RunFixtures.record(checkers: [CheckerSpec("elle")]).json.jsonText, to: folder.testJSON)
        let unknown = #expect(throws: RunError.self) { try RunAnalysis.analyze(try StoredRun(path: folder.path), registry: registry, write: false) }
        #expect(unknown?.description.contains("checker elle: option name: no such checker; known: linearizability") == true)
        try folder.write("{\"workload\": ", to: folder.testJSON)
        let broken = #expect(throws: RunError.self) { try StoredRun(path: folder.path) }
        #expect(broken?.path == folder.testJSON)
        #expect(broken?.exitCode == ExitStatus.dataError)
    }
}
