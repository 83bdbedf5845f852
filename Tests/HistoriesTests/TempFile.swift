import Foundation
import Testing
@testable import Histories

/// Temporary files for tests, removed by the caller, and reading files.
enum TempFile {
    /// A fresh path in the temporary folder.
    static func path(suffix: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("schism-history-\(UUID().uuidString)\(suffix)").path
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func write(_ text: String, suffix: String) throws -> String {
        let path = path(suffix: suffix)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `text` to a fresh temporary file, calls `body` with its path, then removes it.
    @discardableResult
    static func with<T>(_ text: String, suffix: String, _ body: (String) throws -> T) throws -> T {
        let path = try write(text, suffix: suffix)
        defer { remove(path) }
        return try body(path)
    }

    /// The error reading the file at `path` throws, or nil (with an issue recorded) if it reads.
    static func readError(_ path: String, format: HistoryFormat? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> HistoryError? {
        do {
            let history = try HistoryReader.read(path: path, format: format)
            Issue.record("read \(history.operations.count) operations without an error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// The text of the file at `path`.
    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The bytes of the file at `path`.
    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Removes the file, ignoring errors.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
