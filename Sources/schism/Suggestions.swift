/// The name in `candidates` nearest to `name` (edit distance at most 3, or a prefix), if any.
func nearestOption(to name: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(name, $0)) }.filter { $1 <= 3 || $0.hasPrefix(name) }
    return scored.min { $0.1 < $1.1 }?.0
}

/// The Levenshtein distance between `a` and `b` (both cut to 100 characters, so that it stays cheap).
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.prefix(100)), y = Array(b.prefix(100))
    guard !x.isEmpty else { return y.count }
    guard !y.isEmpty else { return x.count }
    var previous = Array(0...y.count)
    for i in 1...x.count {
        var current = [i] + Array(repeating: 0, count: y.count)
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[y.count]
}

/// Longest piece of user input quoted back in a message.
let maxQuoted = 200

/// `text` cut to ``maxQuoted`` characters for an error message, saying how long it was.
func quoted(_ text: String) -> String {
    guard text.count > maxQuoted else { return text }
    return String(text.prefix(maxQuoted)) + "... (\(text.utf8.count) bytes in all)"
}
