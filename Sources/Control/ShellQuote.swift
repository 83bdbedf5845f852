/// Quoting for POSIX shells: the one function every command string in Schism goes through.
///
/// A word is wrapped in single quotes, and each single quote inside it becomes `'\''`
/// (close the quote, an escaped quote, reopen). Inside single quotes a POSIX shell
/// interprets nothing, so the result is the word itself for `sh`, `dash` and `bash`,
/// whatever bytes it holds (except NUL, which no argv can carry).
public enum ShellQuote {
    /// Characters that never need quoting; words made only of these are left bare for readability.
    private static let safe: Set<Character> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")

    /// Quotes one word so that `sh -c` sees exactly `word` as a single argument.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) {
            return word
        }
        var out = "'"
        out.reserveCapacity(word.utf8.count + 2)
        for ch in word {
            if ch == "'" {
                out += "'\\''"
            } else {
                out.append(ch)
            }
        }
        out += "'"
        return out
    }

    /// Quotes every word of an argument vector and joins them with spaces.
    public static func join(_ argv: [String]) -> String {
        argv.map(quote).joined(separator: " ")
    }
}
