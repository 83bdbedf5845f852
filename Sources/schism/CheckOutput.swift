import Basics
import Checkers
import Faults
import Foundation
import Histories
import Report
import Results

/// What checking one file gave: a result, or the error that stopped it.
struct FileOutcome {
    var file: String
    var history: History?
    var result: CheckResult?
    /// The outcome of a checker other than linearizability (`--checker list-append`, ...).
    var outcome: CheckerOutcome?
    var error: String?
    var code: Int32

    init(file: String, history: History, outcome: CheckerOutcome) {
        self.file = file
        self.history = history
        self.outcome = outcome
        self.code = outcome.historyError != nil ? ExitStatus.dataError : outcome.verdict.exitCode
    }

    /// The verdict, whichever checker gave it.
    var verdict: Verdict? { result?.verdict ?? outcome?.verdict }

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
        if let c = o.outcome {
            let pad = c.verdict.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            return "\(pad) \(o.file)  \(c.checker)  \(c.summary)  \(String(format: "%.3f", c.elapsedSeconds)) s"
        }
        guard let r = o.result else { return "error    \(o.error ?? o.file)" }
        let keys = r.partitions.count
        let pad = r.verdict.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        return "\(pad) \(o.file)  \(r.operationCount) ops  \(keys) key\(keys == 1 ? "" : "s")  \(r.model)  \(String(format: "%.3f", r.elapsedSeconds)) s"
    }

    /// The detailed report of a file that is not valid, indented under its line.
    static func details(_ r: CheckResult, history: History, file: String, maxExplained: Int) -> String {
        var limits = ReportLimits()
        limits.detailedKeys = maxExplained
        let text = TextReport.render(result: r, history: history, file: file, limits: limits)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }

    /// The report of another checker's outcome that is not valid, indented under its line.
    static func details(_ outcome: CheckerOutcome, history: History, file: String, maxExplained: Int) -> String {
        var limits = ReportLimits()
        limits.detailedKeys = maxExplained
        let text = OutcomeRenderers.standard.text([outcome], history: history, context: RenderContext(limits: limits, file: file))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).dropLast()
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }

    static func summary(_ outcomes: [FileOutcome], seconds: Double) -> String {
        let count = { (v: Verdict) in outcomes.filter { $0.verdict == v && $0.code != ExitStatus.dataError }.count }
        let errors = outcomes.filter { $0.verdict == nil || $0.code == ExitStatus.dataError }.count
        return "\(outcomes.count) file\(outcomes.count == 1 ? "" : "s"): \(count(.valid)) valid, \(count(.invalid)) invalid, \(count(.unknown)) unknown, \(errors) error\(errors == 1 ? "" : "s") in \(String(format: "%.3f", seconds)) s"
    }

    /// Unreadable input wins (66, then 65), then invalid (1), unknown (2), valid (0).
    static func exitCode(_ outcomes: [FileOutcome]) -> Int32 { exitCode(codes: outcomes.map(\.code)) }

    /// The exit status of several checks: unreadable input wins (66, then 65), then invalid (1), unknown (2), valid (0).
    static func exitCode(codes: [Int32]) -> Int32 {
        let codes = Set(codes)
        for c in [ExitStatus.noInput, ExitStatus.dataError, ExitStatus.invalid, ExitStatus.unknown] where codes.contains(c) {
            return c
        }
        return ExitStatus.valid
    }

    /// The text of a checked run: what was checked, one line per checker, each checker's report
    /// when it is not valid (indented), and `verdict: ...` last.
    static func run(_ a: AnalysisOutcome, path: String, maxExplained: Int) -> String {
        var limits = ReportLimits()
        limits.detailedKeys = maxExplained
        var out = ["run \(path): workload \(a.run.record.workload), seed \(a.run.record.seed), \(a.history.operations.count) history lines"]
        out += a.summaryLines.map { "  " + $0 }
        let notValid = a.outcomes.filter { $0.verdict != .valid }
        let text = OutcomeRenderers.standard.text(notValid, history: a.history, context: RenderContext(limits: limits))
        out += text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.isEmpty ? "" : "  " + $0 }
        out.append("verdict: \(a.verdict.rawValue.uppercased())")
        return out.joined(separator: "\n")
    }

    /// A JSON array with one object per file: the JSON report, or `{"file", "error"}`.
    static func json(_ outcomes: [FileOutcome]) -> String {
        let items: [JSONValue] = outcomes.map { o in
            if let r = o.result, let h = o.history { return JSONReport.value(result: r, history: h, file: o.file) }
            if let c = o.outcome, case .object(var fields) = c.json {
                fields["file"] = .string(o.file)
                fields["exitCode"] = .int(Int64(o.code))
                if case .object(let d) = c.details, let types = d["anomalyTypes"] { fields["anomalyTypes"] = types }
                return .object(fields)
            }
            return .object(["file": .string(o.file), "error": .string(o.error ?? ""), "exitCode": .int(Int64(o.code))])
        }
        return JSONValue.array(items).jsonText
    }

    /// Writes the HTML report: to `path` for one file, or one page per file not valid into the folder `path`.
    static func writeHTML(_ outcomes: [FileOutcome], to path: String, several: Bool) throws {
        var pages: [(file: String, verdict: Verdict, html: () -> String)] = []
        for o in outcomes {
            if let c = o.outcome, let h = o.history {
                pages.append((o.file, c.verdict, { HTMLReport.render(outcomes: [c], history: h, title: "Schism check: \(o.file)") }))
                continue
            }
            guard let r = o.result, let h = o.history else { continue }
            pages.append((o.file, r.verdict, { HTMLReport.render(result: r, history: h, title: "Schism check: \(o.file)") }))
        }
        try writePages(pages, to: path, several: several)
    }

    /// Writes pages: to `path` for one, or the pages not valid into the folder `path`, each named
    /// after its file with `.html` added.
    static func writePages(_ pages: [(file: String, verdict: Verdict, html: () -> String)], to path: String, several: Bool) throws {
        if several {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        for page in pages where !several || page.verdict != .valid {
            let target = several
                ? (path as NSString).appendingPathComponent((page.file as NSString).lastPathComponent + ".html")
                : path
            try page.html().write(toFile: target, atomically: true, encoding: .utf8)
        }
    }
}
