import Basics

/// A value of the EDN subset that Jepsen and Knossos histories use.
///
/// Tagged literals are read as their inner value, chars as one-character strings, ratios and
/// `M` decimals as doubles, so no case is needed for them.
enum EDNValue {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// A character literal such as `\a` or `\newline`, held as its text.
    case char(String)
    /// A keyword, without its colon (`:a/b` is `a/b`).
    case keyword(String)
    case symbol(String)
    case vector([EDNValue])
    case list([EDNValue])
    case set([EDNValue])
    /// A map, in the order its entries were written.
    case map([(key: EDNValue, value: EDNValue)])

    /// The value as JSON: keywords and symbols become strings without the colon, vectors,
    /// lists and sets become arrays, maps become objects whose keys are `plainText`.
    var json: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s), .char(let s), .keyword(let s), .symbol(let s): return .string(s)
        case .vector(let a), .list(let a), .set(let a): return .array(a.map(\.json))
        case .map(let entries):
            var object: [String: JSONValue] = [:]
            for entry in entries { object[entry.key.plainText] = entry.value.json }
            return .object(object)
        }
    }

    /// Text for a name or a message: strings as themselves, keywords without the colon,
    /// numbers in decimal, anything else as EDN text.
    var plainText: String {
        switch self {
        case .string(let s), .char(let s), .keyword(let s), .symbol(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return "\(d)"
        default: return ednText
        }
    }

    /// The keyword's or symbol's name, if this is one.
    var name: String? {
        switch self {
        case .keyword(let s), .symbol(let s): return s
        default: return nil
        }
    }

    /// A short description of what this is, for messages.
    var kind: String {
        switch self {
        case .null: return "nil"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .char: return "a character"
        case .keyword: return "a keyword"
        case .symbol: return "a symbol"
        case .vector: return "a vector"
        case .list: return "a list"
        case .set: return "a set"
        case .map: return "a map"
        }
    }

    /// The value printed as EDN, as Clojure's `pr-str` would (maps with `, ` between entries).
    var ednText: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends the EDN text of the value to `out`.
    func write(to out: inout String) {
        switch self {
        case .null: out += "nil"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += "\(d)"
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .char(let s): out += EDNValue.charLiteral(s)
        case .keyword(let s): out += ":" + s
        case .symbol(let s): out += s
        case .vector(let a): EDNValue.writeSequence(a, "[", "]", to: &out)
        case .list(let a): EDNValue.writeSequence(a, "(", ")", to: &out)
        case .set(let a): EDNValue.writeSequence(a, "#{", "}", to: &out)
        case .map(let entries):
            out += "{"
            for (n, entry) in entries.enumerated() {
                if n > 0 { out += ", " }
                entry.key.write(to: &out)
                out += " "
                entry.value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeSequence(_ items: [EDNValue], _ open: String, _ close: String, to out: inout String) {
        out += open
        for (n, item) in items.enumerated() {
            if n > 0 { out += " " }
            item.write(to: &out)
        }
        out += close
    }

    private static func charLiteral(_ s: String) -> String {
        switch s {
        case "\n": return "\\newline"
        case " ": return "\\space"
        case "\t": return "\\tab"
        case "\r": return "\\return"
        case "\u{0C}": return "\\formfeed"
        case "\u{08}": return "\\backspace"
        default: return "\\" + s
        }
    }
}
