import Foundation

/// Locates `../shared/histories` beside the checkout, where CI and developers keep the reference histories.
///
/// Tests that need them use `.enabled(if: SharedHistories.isAvailable, Comment(rawValue: SharedHistories.skipMessage))`
/// so that a user's clone without `../shared` skips them with a clear message.
public enum SharedHistories {
    /// The package root, derived from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/histories` relative to the package root (override with `SCHISM_SHARED_HISTORIES`).
    public static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["SCHISM_SHARED_HISTORIES"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/histories")
    }()

    /// Whether the reference histories are present.
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("EXPECTED.tsv").path)
    }

    /// Why tests that need them are skipped.
    public static let skipMessage: String =
        "skipped: ../shared/histories not found beside the checkout (set SCHISM_SHARED_HISTORIES to its path)"

    /// The path of a file below the root, e.g. `porcupine/kv/c10-ok.txt`.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// One row of `EXPECTED.tsv`.
    public struct Expectation: Sendable, CustomStringConvertible {
        public var path: String
        public var model: String
        /// The initial value as JSON text, or `-` where none applies.
        public var initial: String
        /// `valid`, `invalid` or `error`.
        public var expected: String
        public var description: String { path }
    }

    /// The rows of `EXPECTED.tsv`, or none where the folder is missing.
    public static func expectations() -> [Expectation] {
        guard let text = try? String(contentsOf: root.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") { return nil }
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 4 else { return nil }
            return Expectation(path: cols[0], model: cols[1], initial: cols[2], expected: cols[3])
        }
    }
}
