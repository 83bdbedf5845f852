import Config
import Control

/// A command written in a workload file, with `{placeholders}` filled in per node.
///
/// Two forms: a list is an argument vector (each item one argument, placeholders replaced
/// verbatim); a string is a shell command line, run with `sh -c 'exec …'` (each placeholder
/// replaced by its value in single quotes, so spaces in a path cannot split it). A placeholder is
/// a lowercase name in braces, e.g. `{address}`; `{{` and `}}` are literal braces. A name the
/// command's context does not offer is refused when the file is read, at the field's line.
public struct CommandTemplate: Sendable, Hashable {
    /// One piece of a word: text or a placeholder.
    enum Piece: Sendable, Hashable {
        case text(String)
        case placeholder(String)
    }

    /// Whether the command is a shell line (a string) or an argument vector (a list).
    public let isShell: Bool
    /// The words (one for a shell line), each split into pieces.
    let words: [[Piece]]
    /// The text as written, for messages and `test.json`.
    public let source: String

    /// Reads a command from `field` (a string or a list of strings), refusing placeholders
    /// not in `allowed`.
    public init(field: ConfigField, allowed: [String]) throws(ConfigError) {
        let texts: [String]
        if case .sequence = field.node {
            texts = try field.strings()
            guard !texts.isEmpty else { throw field.fail("expected a command: a list of arguments or a shell line") }
            isShell = false
            source = ShellQuote.join(texts)
        } else {
            texts = [try field.string()]
            isShell = true
            source = texts[0]
        }
        var words: [[Piece]] = []
        for text in texts {
            switch Self.parse(text) {
            case .failure(let failure): throw field.fail(failure.message)
            case .success(let pieces):
                for case .placeholder(let name) in pieces where !allowed.contains(name) {
                    throw field.fail("unknown placeholder {\(name)}; known: \(allowed.map { "{\($0)}" }.joined(separator: ", "))")
                }
                words.append(pieces)
            }
        }
        self.words = words
    }

    /// The placeholders the command uses.
    public var placeholders: Set<String> {
        var out = Set<String>()
        for word in words {
            for case .placeholder(let name) in word { out.insert(name) }
        }
        return out
    }

    /// The argument vector with `values` filled in (a shell line becomes `sh -c 'exec …'`).
    public func argv(_ values: [String: String]) -> [String] {
        if isShell { return ["/bin/sh", "-c", "exec " + render(words[0], values, quoted: true)] }
        return words.map { render($0, values, quoted: false) }
    }

    /// The text with `values` filled in, unquoted (words joined by spaces): for URLs and paths.
    public func plain(_ values: [String: String]) -> String {
        words.map { render($0, values, quoted: false) }.joined(separator: " ")
    }

    /// The command as one shell line with `values` filled in (quoted), to `exec` in a script.
    public func shellLine(_ values: [String: String]) -> String {
        if isShell { return render(words[0], values, quoted: true) }
        return words.map { ShellQuote.quote(render($0, values, quoted: false)) }.joined(separator: " ")
    }

    private func render(_ pieces: [Piece], _ values: [String: String], quoted: Bool) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t): out += t
            case .placeholder(let name):
                let value = values[name] ?? ""
                out += quoted ? ShellQuote.quote(value) : value
            }
        }
        return out
    }

    /// Splits text into pieces; a failure names the problem (an unclosed or empty brace).
    static func parse(_ text: String) -> Result<[Piece], TemplateFailure> {
        var pieces: [Piece] = []
        var literal = ""
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if c == "{" && chars.first == "{" {
                chars.removeFirst()
                literal.append("{")
            } else if c == "}" && chars.first == "}" {
                chars.removeFirst()
                literal.append("}")
            } else if c == "{" {
                guard let end = chars.firstIndex(of: "}") else {
                    return .failure(TemplateFailure(message: "unclosed '{' in \"\(text)\"; write {{ for a literal brace"))
                }
                let name = String(chars[chars.startIndex..<end])
                guard !name.isEmpty, name.allSatisfy({ ($0.isLetter && $0.isLowercase && $0.isASCII) || $0 == "-" }) else {
                    return .failure(TemplateFailure(message: "\"{\(name)}\" is not a placeholder (lowercase letters and '-'); write {{ for a literal brace"))
                }
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
                pieces.append(.placeholder(name))
                chars = chars[chars.index(after: end)...]
            } else if c == "}" {
                return .failure(TemplateFailure(message: "unmatched '}' in \"\(text)\"; write }} for a literal brace"))
            } else {
                literal.append(c)
            }
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return .success(pieces)
    }

    /// Why a template cannot be read.
    struct TemplateFailure: Error {
        var message: String
    }
}
