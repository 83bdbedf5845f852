import Basics
import Checkers
import Histories

/// Formatting shared by the reports: times, cutting long text, escaping for HTML and scripts.
public enum Format {
    /// Nanoseconds since the test started as seconds with microsecond precision: `1.234567 s`.
    static func time(ns: Int64) -> String {
        let us = (ns + (ns >= 0 ? 500 : -500)) / 1000
        let sign = us < 0 ? "-" : ""
        let a = us.magnitude
        let frac = String(a % 1_000_000)
        return "\(sign)\(a / 1_000_000).\(String(repeating: "0", count: 6 - frac.count))\(frac) s"
    }

    /// An elapsed time in seconds, to the millisecond: `0.012 s`.
    static func elapsed(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "? s" }
        let ms = Int((s * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac) s"
    }

    /// `s` cut to `max` characters with `…` and the full length when longer.
    static func cut(_ s: String, _ max: Int) -> String {
        guard s.count > max else { return s }
        return String(s.prefix(max)) + "… (\(s.count) chars)"
    }

    /// A key as JSON text (`"k7"`), or `(no key)`.
    static func key(_ key: String?, _ max: Int) -> String {
        guard let key else { return "(no key)" }
        return cut(JSONValue.string(key).jsonText, max)
    }

    /// `1 operation`, `2 operations`.
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    /// Escapes text for HTML content and double- or single-quoted attribute values.
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// JSON text that is safe inside a `<script>` element: `<`, `>`, `&` and the JavaScript line
    /// separators are written as `\u` escapes, so no `</script>` or `<!--` can appear.
    static func scriptJSON(_ v: JSONValue) -> String {
        let text = v.jsonText
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// One call on one line: `op 12 process 3 read null → 3 ok, invoked 1.2 s, completed 1.3 s`.
    static func call(_ rec: CallRecord, _ ops: OpLog, _ max: Int) -> String {
        let inv = ops[rec.invoke]
        var out = "op \(rec.invoke) process \(inv.process) \(inv.f) \(cut(inv.value.jsonText, max))"
        if let c = rec.completion {
            let done = ops[c]
            if done.value != inv.value { out += " → \(cut(done.value.jsonText, max))" }
            out += " \(done.type.rawValue)"
            if let e = done.error { out += " (\(cut(e, max)))" }
        } else {
            out += " info (never completed)"
        }
        if let t = inv.time { out += ", invoked \(time(ns: t))" }
        if let c = rec.completion, let t = ops[c].time { out += ", completed \(time(ns: t))" }
        return out
    }

    /// Maps each call's invocation index to the call, for the anomaly's operation references.
    static func callsByInvoke(_ calls: [CallRecord]) -> [Int: CallRecord] {
        var out: [Int: CallRecord] = [:]
        out.reserveCapacity(calls.count)
        for c in calls { out[c.invoke] = c }
        return out
    }
}
