/// Tells the history formats apart from the first bytes of a file.
///
/// Rules, after blank lines and `;` comments: `{"` is JSON Lines; `[` then `{"` is a JSON array;
/// any other `[`, `(` or `#` is EDN; `{:` is EDN, named `porcupineKV` when the first line is a
/// whole map with a `:key`; an operation line of a Jepsen log or `history.txt`, or a line with a
/// log level word (`INFO`, `WARN`, ...), is a Jepsen console log. An empty input is JSON Lines
/// with no operations.
enum FormatDetector {
    /// How many bytes detection looks at.
    static let prefixBytes = 64 << 10

    /// The format of the input that starts with `b`, or nil if it cannot tell.
    static func detect(_ b: UnsafeBufferPointer<UInt8>) -> HistoryFormat? {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
                i += 1
            } else if c == UInt8(ascii: ";") {
                while i < b.count && b[i] != 0x0A { i += 1 }
            } else {
                break
            }
        }
        guard i < b.count else { return .jsonl }
        var lineEnd = i
        while lineEnd < b.count && b[lineEnd] != 0x0A { lineEnd += 1 }
        func skipSpace(_ from: Int) -> Int {
            var j = from
            while j < b.count && (b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0D || b[j] == 0x0A) { j += 1 }
            return j
        }
        switch b[i] {
        case UInt8(ascii: "["):
            let j = skipSpace(i + 1)
            if j < b.count && b[j] == UInt8(ascii: "{") {
                let k = skipSpace(j + 1)
                if k < b.count && (b[k] == UInt8(ascii: "\"") || b[k] == UInt8(ascii: "}")) { return .json }
            }
            return .edn
        case UInt8(ascii: "("), UInt8(ascii: "#"):
            return .edn
        case UInt8(ascii: "{"):
            let j = skipSpace(i + 1)
            if j < b.count && (b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "}")) { return .jsonl }
            if j < b.count && b[j] == UInt8(ascii: ":") {
                var last = lineEnd - 1
                while last > j && (b[last] == 0x20 || b[last] == 0x09 || b[last] == 0x0D) { last -= 1 }
                let key: StaticString = ":key "
                let hasKey = b.baseAddress.map { base in
                    stride(from: j, through: last - key.utf8CodeUnitCount, by: 1).contains { equals(base + $0, key) }
                } ?? false
                return b[last] == UInt8(ascii: "}") && hasKey ? .porcupineKV : .edn
            }
            return nil
        default:
            let first = UnsafeBufferPointer(rebasing: b[i..<lineEnd])
            if JepsenLogReader.looksLikeOperation(first) || JepsenLogReader.isLogLine(first) { return .porcupineLog }
            return nil
        }
    }
}
