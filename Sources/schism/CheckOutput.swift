import Checker
import Foundation
import History

/// What checking one file gave: a result, or the error that stopped it.
struct FileOutcome {
    var file: String
    var history: History?
    var result: CheckResult?
    var error: String?
    var code: Int32

    init(file: String, history: History, result: CheckResult) {
        self.file = file
        self.history = history
        self.result = result
        self.code = result.verdict.exitCode
    }

    init(file: String, error: String, code: Int32) {
        self.file = file
        self.error = error
        self.code = code
    }
}

/// The text of `schism check`: one line per file, details, a summary, the exit status.
enum CheckOutput {
    /// `invalid  path  1234 ops  5 keys  0.012 s`.
    static func line(_ o: FileOutcome) -> String {
        guard let r = o.result else { return "error    \(o.error ?? o.file)" }
        let keys = r.partitions.count
        let pad = r.verdict.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        return "\(pad) \(o.file)  \(r.operationCount) ops  \(keys) key\(keys == 1 ? "" : "s")  \(r.model)  \(String(format: "%.3f", r.elapsedSeconds)) s"
    }

    /// The prose of the first `maxExplained` keys that are not valid, indented, then a count of the rest.
    static func details(_ r: CheckResult, history: History, maxExplained: Int) -> String {
        let failures = r.failures
        var lines: [String] = []
        for p in failures.prefix(maxExplained) {
            if let note = p.note { lines.append("  \(p.key.map { "key \($0): " } ?? "")unknown: \(note)") }
            if p.verdict == .invalid, let prose = p.anomaly?.prose {
                lines += prose.split(separator: "\n").map { "  " + $0 }
            }
        }
        if failures.count > maxExplained {
            lines.append("  ... and \(failures.count - maxExplained) more key(s) not valid: \(failures.dropFirst(maxExplained).prefix(20).map { $0.key ?? "-" }.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    static func summary(_ outcomes: [FileOutcome], seconds: Double) -> String {
        let count = { (v: Verdict) in outcomes.filter { $0.result?.verdict == v }.count }
        let errors = outcomes.filter { $0.result == nil }.count
        return "\(outcomes.count) file\(outcomes.count == 1 ? "" : "s"): \(count(.valid)) valid, \(count(.invalid)) invalid, \(count(.unknown)) unknown, \(errors) error\(errors == 1 ? "" : "s") in \(String(format: "%.3f", seconds)) s"
    }

    /// Unreadable input wins (66, then 65), then invalid (1), unknown (2), valid (0).
    static func exitCode(_ outcomes: [FileOutcome]) -> Int32 {
        let codes = Set(outcomes.map(\.code))
        for c in [SchismExit.noInput, SchismExit.dataError, SchismExit.invalid, SchismExit.unknown] where codes.contains(c) {
            return c
        }
        return SchismExit.valid
    }

    static func json(_ outcomes: [FileOutcome]) -> String {
        ""
    }

    static func writeHTML(_ outcomes: [FileOutcome], to path: String, several: Bool) throws {
    }
}
