import Cluster
import ClusterTestKit
import Foundation
import Results
import SchismTestKit
import Testing

/// `schism test-all` (the real executable) on a real 3-node local cluster with real etcd.
@Suite(
    .serialized, .enabled(if: LocalClusterTrait.isRoot, LocalClusterTrait.needsRoot),
    .enabled(if: SchismExecutable.path != nil, "needs the schism executable (swift build)"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd"), "needs Debian's etcd-server (/usr/bin/etcd)"),
    .localCluster(ClusterSpec(name: "servetest", netIndex: 187, nodeCount: 3)))
struct TestAllClusterTests {
    @Test("two workloads, --test-count 2: four runs one after another, the summary, the worst status", .timeLimit(.minutes(5)))
    func twoWorkloadsTwice() throws {
        let dir = NSTemporaryDirectory() + "schism-test-all-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, faults) in [("serve-a", "[partition]"), ("serve-b", "none")] {
            try """
                name: \(name)
                client: {timeout: 500ms}
                workload: {ops-per-key: 100}
                concurrency: 4
                rate: 100
                time-limit: 3
                nemesis: {faults: \(faults), interval: 1, recovery: 1}
                """.write(toFile: "\(dir)/\(name).yml", atomically: true, encoding: .utf8)
        }
        let results = dir + "/results"
        let r = try CLI.run(
            ["test-all", "\(dir)/serve-a.yml", "\(dir)/serve-b.yml", "--test-count", "2", "--cluster", "servetest", "--results", results],
            timeoutSeconds: 240)
        #expect(r.status == 0, "\(r.output.suffix(3000))")
        #expect(r.output.contains("== serve-a: run 2 of 2") && r.output.contains("== serve-b: run 1 of 2"))
        #expect(r.output.contains("# Successful tests"))
        #expect(r.output.contains("4 successes\n0 unknown\n0 crashed\n0 failures\nexit status 0"), "\(r.output.suffix(1500))")
        for workload in ["serve-a", "serve-b"] {
            let runs = try FileManager.default.contentsOfDirectory(atPath: "\(results)/\(workload)").filter { $0 != "latest" }
            #expect(runs.count == 2, "\(workload): \(runs)")
            for run in runs {
                let folder = RunFolder(path: "\(results)/\(workload)/\(run)")
                #expect(r.output.contains(folder.path), "the summary does not list \(folder.path)")
                #expect(FileManager.default.fileExists(atPath: folder.junitXML))
                let summary = try #require(RunSummary.read(folder: folder.path))
                #expect(summary.verdict == "valid")
                #expect((summary.operations ?? 0) > 10)
            }
        }
    }
}

/// The summary's groups and the worst status, without a cluster.
@Suite("test-all summary")
struct SeriesSummaryTests {
    @Test("the exit status is the worst: stopped > crashed > invalid > unknown > valid")
    func worst() {
        func code(_ codes: [Int32], stopped: Int32? = nil) -> Int32 {
            SeriesSummary(runs: codes.map { SeriesSummary.Run(workload: "w", folder: "f", exitCode: $0) }, stopped: stopped).exitCode
        }
        #expect(code([]) == 0)
        #expect(code([0, 0]) == 0)
        #expect(code([0, 2, 0]) == 2)
        #expect(code([2, 1, 0]) == 1)
        #expect(code([1, 69, 2]) == 69)
        #expect(code([65, 69]) == 69)
        #expect(code([1, 0], stopped: 2) == 130)
        let s = SeriesSummary(runs: [
            .init(workload: "a", folder: "r/a/1", exitCode: 0), .init(workload: "a", folder: "r/a/2", exitCode: 1),
            .init(workload: "b", folder: nil, exitCode: 69), .init(workload: "b", folder: "r/b/1", exitCode: 2),
        ])
        #expect(s.text == """
            # Successful tests
            r/a/1

            # Unknown tests
            r/b/1

            # Crashed tests
            b: no results folder (exit status 69)

            # Failed tests
            r/a/2

            1 successes
            1 unknown
            1 crashed
            1 failures
            exit status 69
            """)
    }
}
