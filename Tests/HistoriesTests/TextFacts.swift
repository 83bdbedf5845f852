import Foundation

/// Facts about a file's text computed without the history readers, to check them against.
enum TextFacts {
    /// The lines of the file at `path`.
    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// How many lines contain `needle` (like `grep -c`).
    static func linesContaining(_ needle: String, in path: String) throws -> Int {
        try lines(path).filter { $0.contains(needle) }.count
    }

    /// How many lines are not blank.
    static func nonBlankLines(_ path: String) throws -> Int {
        try lines(path).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
    }

    /// How many times `needle` occurs in the file outside `;` comments (like `grep -o | wc -l`).
    static func occurrences(of needle: String, in path: String) throws -> Int {
        try lines(path).map { line in
            let code = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return code.components(separatedBy: needle).count - 1
        }.reduce(0, +)
    }
}
