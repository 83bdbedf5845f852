import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A request path checked before anything is opened: the one gate between a URL and the results folder.
///
/// The raw path (still percent-encoded) is split at `/`; each part is decoded once and refused when
/// it is empty, `.` or `..`, starts with `.`, holds `/`, `\`, `%` (double encoding), a control
/// character or NUL, or is longer than 255 bytes; paths longer than ``maxLength`` or deeper than
/// ``maxDepth`` are refused. ``resolve(_:under:)`` then follows links and refuses anything that
/// leaves the results folder.
struct RequestPath: Equatable {
    /// The decoded parts, none empty, none `.`/`..`.
    var parts: [String]
    /// Whether the path ended with `/`.
    var trailingSlash: Bool

    /// Longest raw path accepted.
    static let maxLength = 2048
    /// Most parts accepted.
    static let maxDepth = 32

    /// Why a path was refused.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case tooLong
        case tooDeep
        case badPart(String)
        case outside

        var description: String {
            switch self {
            case .tooLong: return "the path is longer than \(RequestPath.maxLength) characters"
            case .tooDeep: return "the path has more than \(RequestPath.maxDepth) parts"
            case .badPart(let why): return "the path is refused: \(why)"
            case .outside: return "the path leaves the results folder"
            }
        }
    }

    /// Checks the raw (percent-encoded) path of a request, e.g. `/runs/etcd-register/20261125T101500.123Z/`.
    init(raw: String) throws(Refusal) {
        guard raw.utf8.count <= Self.maxLength else { throw .tooLong }
        guard raw.hasPrefix("/") else { throw .badPart("it does not start with /") }
        guard !raw.contains("\\") else { throw .badPart("it holds a backslash") }
        var pieces = raw.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        trailingSlash = pieces.last == ""
        if trailingSlash { pieces.removeLast() }
        guard pieces.count <= Self.maxDepth else { throw .tooDeep }
        var parts: [String] = []
        for piece in pieces {
            guard let decoded = piece.removingPercentEncoding else { throw .badPart("malformed percent-encoding") }
            guard !decoded.isEmpty else { throw .badPart("an empty part (//)") }
            guard decoded != ".", decoded != ".." else { throw .badPart("a . or .. part") }
            guard !decoded.hasPrefix(".") else { throw .badPart("a part that starts with a dot") }
            guard !decoded.contains("%") else { throw .badPart("percent-encoding inside percent-encoding") }
            guard !decoded.contains("/"), !decoded.contains("\\") else { throw .badPart("an encoded slash") }
            guard decoded.utf8.count <= 255 else { throw .badPart("a part longer than 255 bytes") }
            guard !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw .badPart("a control character")
            }
            parts.append(decoded)
        }
        self.parts = parts
    }

    /// The file or folder `parts` names under `root`, with links followed; refused unless it exists
    /// and lies inside `root` (also after following links).
    static func resolve(_ parts: [String], under root: String) throws(Refusal) -> String {
        guard let realRoot = realPath(root) else { throw .outside }
        let candidate = ([root] + parts).joined(separator: "/")
        guard let real = realPath(candidate), real == realRoot || real.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") else {
            throw .outside
        }
        return real
    }

    /// `realpath(3)`: the path with every link followed; nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
