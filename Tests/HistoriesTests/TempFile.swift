import Foundation

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
