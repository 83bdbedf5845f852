import Foundation

/// The folder of one run: `results/<workload>/<timestamp>/`, with a file for each part of the run.
///
/// The only place that knows the folder's layout: `schism test` writes through it, and
/// ``StoredRun`` reads through it. `docs/results.md` explains every file. `latest` links at
/// `results/latest` and `results/<workload>/latest` point to the newest run.
public struct RunFolder: Sendable, Equatable {
    /// The results root, `results`.
    public let root: String
    /// The run's folder, `results/<workload>/<timestamp>`.
    public let path: String

    /// The folder at `path` (not created), with the root two levels up.
    public init(path: String) {
        self.init(root: ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent, path: path)
    }

    private init(root: String, path: String) {
        self.root = root
        self.path = path
    }

    /// Creates `root/<workload>/<timestamp>` (UTC, millisecond precision, unique) and its `nodes/` folder.
    public static func create(root: String, workload: String, date: Date = Date()) throws -> RunFolder {
        let fm = FileManager.default
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        var stamp = format.string(from: date)
        var path = "\(root)/\(workload)/\(stamp)"
        var n = 1
        while fm.fileExists(atPath: path), n < 1000 {
            n += 1
            stamp = format.string(from: date) + "-\(n)"
            path = "\(root)/\(workload)/\(stamp)"
        }
        try fm.createDirectory(atPath: path + "/nodes", withIntermediateDirectories: true)
        return RunFolder(root: root, path: path)
    }

    /// Whether `path` (after following links such as `results/latest`) holds a run: `test.json`
    /// and `history.jsonl`.
    public static func isRunFolder(_ path: String) -> Bool {
        let folder = RunFolder(path: resolvingLinks(path))
        return [folder.testJSON, folder.history].allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }

    /// `path` with every symbolic link followed, so that `results/latest` names the run it points to.
    public static func resolvingLinks(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// The run's configuration, seed, nodes and checkers (``RunRecord``).
    public var testJSON: String { path + "/test.json" }
    /// The history, one operation per line.
    public var history: String { path + "/history.jsonl" }
    /// The fault journal.
    public var faults: String { path + "/faults.jsonl" }
    /// The analysis: verdict and each checker's outcome (``AnalysisOutcome/json``).
    public var resultsJSON: String { path + "/results.json" }
    /// The run report as text.
    public var reportText: String { path + "/report.txt" }
    /// The run report as one HTML page.
    public var reportHTML: String { path + "/report.html" }
    /// The few fields the index of runs shows (``RunSummary``).
    public var summaryJSON: String { path + "/summary.json" }
    /// The verdict as JUnit XML, for CI (``JUnitReport``).
    public var junitXML: String { path + "/junit.xml" }
    /// Everything the run printed.
    public var log: String { path + "/schism.log" }

    /// The folder for a node's downloaded files.
    public func nodeFolder(_ node: String) -> String { path + "/nodes/" + node }

    /// Points `results/latest` and `results/<workload>/latest` at this run (relative links).
    public func linkLatest() throws {
        let fm = FileManager.default
        let workloadDir = (path as NSString).deletingLastPathComponent
        let links = [
            (workloadDir + "/latest", (path as NSString).lastPathComponent),
            (root + "/latest", ((workloadDir as NSString).lastPathComponent as NSString).appendingPathComponent((path as NSString).lastPathComponent)),
        ]
        for (link, target) in links {
            if (try? fm.destinationOfSymbolicLink(atPath: link)) != nil || fm.fileExists(atPath: link) {
                try fm.removeItem(atPath: link)
            }
            try fm.createSymbolicLink(atPath: link, withDestinationPath: target)
        }
    }

    /// Writes text to a file of the run.
    public func write(_ text: String, to file: String) throws {
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }
}
