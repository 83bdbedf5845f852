import Basics
import Foundation
import Histories
import Report

/// A run folder as it lies on disk: its `test.json` read, its history ready to read.
///
/// Opened from the folder itself or a link to it (`results/latest`, `results/<workload>/latest`).
/// This is how `schism check <run>`, `schism analyze <run>` and the end of `schism test` see a
/// run, so all three judge it the same way.
public struct StoredRun: Sendable {
    /// The folder, with links followed.
    public var folder: RunFolder
    /// What `test.json` says.
    public var record: RunRecord
    /// Sentences to read before the numbers: those the last analysis wrote into `results.json`, or
    /// the runner's own when it analyses the run it just made.
    public var notes: [String]

    /// Opens the run at `path`; throws when it is not a run folder or `test.json` cannot be read.
    public init(path: String) throws(RunError) {
        let resolved = RunFolder.resolvingLinks(path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDir) else {
            throw RunError(path: path, message: "no such run folder", exitCode: ExitStatus.noInput)
        }
        guard isDir.boolValue else {
            throw RunError(path: path, message: "not a run folder (a folder with test.json and history.jsonl)", exitCode: ExitStatus.noInput)
        }
        let folder = RunFolder(path: resolved)
        for file in [folder.testJSON, folder.history] where !FileManager.default.fileExists(atPath: file) {
            throw RunError(
                path: file, message: "missing: \(path) is not a complete run folder (it needs test.json and history.jsonl)",
                exitCode: ExitStatus.noInput)
        }
        let json = try Self.readJSON(folder.testJSON)
        let record: RunRecord
        do { record = try RunRecord(json: json) } catch {
            throw RunError(path: folder.testJSON, message: "not a run record: \(error)", exitCode: ExitStatus.dataError)
        }
        var notes: [String] = []
        if FileManager.default.fileExists(atPath: folder.resultsJSON), case .object(let results)? = try? Self.readJSON(folder.resultsJSON) {
            notes = (results["notes"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
        self.init(folder: folder, record: record, notes: notes)
    }

    /// A run from parts, e.g. a folder the caller just wrote.
    public init(folder: RunFolder, record: RunRecord, notes: [String] = []) {
        self.folder = folder
        self.record = record
        self.notes = notes
    }

    /// Reads `history.jsonl`; a line that cannot be read is an error naming the file and line.
    public func readHistory() throws(RunError) -> History {
        do {
            return try HistoryReader.read(path: folder.history, format: .jsonl)
        } catch {
            throw RunError(path: folder.history, message: error.description, exitCode: ExitStatus.dataError)
        }
    }

    /// Colours of fault families for the reports' shaded intervals (the fault registry's).
    public var faultColours: [String: String] = [:]

    /// The run's metadata for the reports.
    public var metadata: RunMetadata {
        var m = record.metadata(resultsPath: folder.path, notes: notes)
        m.faultColours = faultColours
        return m
    }

    /// Reads a JSON file; throws a ``RunError`` naming it when it cannot be read or parsed.
    static func readJSON(_ path: String) throws(RunError) -> JSONValue {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw RunError(path: path, message: "cannot be read: \(error.localizedDescription)", exitCode: ExitStatus.noInput)
        }
        do { return try JSONValue.parse(text) } catch {
            throw RunError(path: path, message: "not JSON: \(error.message) at column \(error.column)", exitCode: ExitStatus.dataError)
        }
    }
}

/// A problem with a stored run: the file at fault, what is wrong, and the exit status it means.
public struct RunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or folder at fault.
    public var path: String
    /// What is wrong, e.g. `names no checker; known checkers: linearizability`.
    public var message: String
    /// 66 for a missing file, 65 for unreadable data, 64 for a bad request, 73 for a file not written.
    public var exitCode: Int32

    /// An error about `path`.
    public init(path: String, message: String, exitCode: Int32) {
        self.path = path
        self.message = message
        self.exitCode = exitCode
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
