import Basics
import Checkers
import Histories
import SchismTestKit
import Testing

/// Every history in ../shared/histories/EXPECTED.tsv gets its expected verdict, or its error.
@Suite(.enabled(if: SharedHistories.isAvailable, Comment(rawValue: SharedHistories.skipMessage)))
struct SharedHistoryTests {
    @Test(arguments: SharedHistories.expectations())
    func expectedVerdict(_ row: SharedHistories.Expectation) throws {
        let path = SharedHistories.path(row.path)
        if row.expected == "error" {
            try expectRejected(row, path: path)
            return
        }
        let history = try HistoryReader.read(path: path)
        let model = try #require(Models.named(row.model), "unknown model \(row.model)")
        let initial = row.initial == "-" ? nil : try JSONValue.parse(row.initial)
        let result = try LinearizabilityChecker(model: model, options: CheckOptions(
            initial: initial, timeoutSeconds: 60, nullReadsAreUnknown: CheckOptions.nullReadsAreUnknown(for: history.format))).check(history)
        #expect(result.verdict.rawValue == row.expected, "\(row.path)")
        if result.verdict == .invalid {
            let anomaly = try #require(result.partitions.first { $0.verdict == .invalid }?.anomaly)
            #expect(!anomaly.prose.isEmpty)
            #expect(anomaly.blocking != nil)
        }
    }

    /// A row that must be rejected: the error names the file and a line.
    private func expectRejected(_ row: SharedHistories.Expectation, path: String) throws {
        let error = #expect(throws: HistoryError.self, "\(row.path) must be refused") {
            try HistoryReader.read(path: path)
        }
        #expect(error?.file == path)
        #expect((error?.line ?? 0) > 0, "\(String(describing: error))")
    }

    /// The kv files checked as ONE partition (state = the whole map) give the same verdicts.
    @Test(arguments: ["porcupine/kv/c01-ok.txt", "porcupine/kv/c01-bad.txt", "porcupine/kv/c10-ok.txt", "porcupine/kv/c10-bad.txt"])
    func kvAsOnePartition(_ file: String) throws {
        let history = try HistoryReader.read(path: SharedHistories.path(file))
        let result = try LinearizabilityChecker(model: KVModel(), options: CheckOptions(partitionByKey: false, timeoutSeconds: 120)).check(history)
        #expect(result.partitions.count == 1)
        #expect(result.verdict == (file.hasSuffix("ok.txt") ? .valid : .invalid))
    }
}
