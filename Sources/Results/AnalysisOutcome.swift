import Basics
import Checkers
import Foundation
import Histories
import Report

/// What analysing a run gave: each checker's outcome with its spec, and the merged verdict.
public struct AnalysisOutcome: Sendable {
    /// The run analysed.
    public var run: StoredRun
    /// The checkers run, in order, with the options they were made with.
    public var specs: [CheckerSpec]
    /// Their outcomes, in the same order.
    public var outcomes: [CheckerOutcome]
    /// The history as read back from disk.
    public var history: History

    /// The verdicts merged: invalid beats unknown beats valid.
    public var verdict: Verdict { outcomes.verdict }

    /// The exit status: 0 valid, 1 invalid, 2 unknown, 65 when a checker could not read the history.
    public var exitCode: Int32 {
        outcomes.contains { $0.historyError != nil } ? ExitStatus.dataError : verdict.exitCode
    }

    /// The files ``RunAnalysis`` writes: `results.json`, `report.txt`, `report.html`, `summary.json`, `junit.xml`.
    public var files: [String] {
        [run.folder.resultsJSON, run.folder.reportText, run.folder.reportHTML, run.folder.summaryJSON, run.folder.junitXML]
    }

    /// What the index of runs shows (`summary.json`).
    public var summary: RunSummary {
        RunSummary(record: run.record, verdict: verdict, exitCode: exitCode, history: history)
    }

    /// One line per checker: `linearizability: INVALID: 3 keys, 1200 operations, ... (0.012 s)`.
    public var summaryLines: [String] {
        outcomes.map { o in
            "\(o.checker): \(o.verdict.rawValue.uppercased()): \(o.summary) (\(String(format: "%.3f", o.elapsedSeconds)) s)"
        }
    }

    /// `results.json`: the run, the merged verdict, each checker's outcome and options, and under
    /// `check` the linearizability checker's own report (`docs/reports.md`), as before checkers were
    /// plug-ins.
    public var json: JSONValue {
        let checkers: [JSONValue] = zip(specs, outcomes).map { spec, o in
            guard case .object(var fields) = o.json else { return o.json }
            fields["options"] = .object(spec.options)
            return .object(fields)
        }
        var out: [String: JSONValue] = [
            "format": "schism-results", "version": 2,
            "workload": .string(run.record.workload), "seed": .string(String(run.record.seed)),
            "verdict": .string(verdict.rawValue), "exitCode": .int(Int64(exitCode)),
            "notes": .array(run.notes.map(JSONValue.string)), "checkers": .array(checkers),
        ]
        if let result = outcomes.lazy.compactMap({ $0.payload as? CheckResult }).first {
            out["check"] = JSONReport.value(result: result, history: history, file: run.folder.history)
        }
        return .object(out)
    }

    /// The run report as text and HTML; without statistics when the history's operations do not pair.
    public func reports(renderers: OutcomeRenderers = .standard) -> (text: String, html: String) {
        let metadata = run.metadata
        do {
            let stats = try RunStats(history: history)
            return (
                RunReport.renderText(history: history, outcomes: outcomes, stats: stats, metadata: metadata, renderers: renderers),
                RunReport.renderHTML(history: history, outcomes: outcomes, stats: stats, metadata: metadata, renderers: renderers))
        } catch {
            let text = "Schism test \(metadata.workload): \(verdict.rawValue.uppercased())\n\n"
                + "No statistics: the history's operations do not pair: \(error).\n"
                + renderers.text(outcomes, history: history, context: RenderContext())
            let html = HTMLReport.render(
                outcomes: outcomes, history: history, title: "Schism test: \(metadata.workload)",
                faultColours: metadata.faultColours, renderers: renderers)
            return (text, html)
        }
    }

    /// Writes ``files`` into the run's folder; `summary.json` last, so that the index shows a run
    /// as analysed only when its reports are there.
    func write(renderers: OutcomeRenderers) throws(RunError) {
        let (text, html) = reports(renderers: renderers)
        let folder = run.folder
        let contents = [
            (json.jsonText + "\n", folder.resultsJSON), (text, folder.reportText), (html, folder.reportHTML),
            (JUnitReport.xml([self]), folder.junitXML), (summary.json.jsonText + "\n", folder.summaryJSON),
        ]
        for (content, file) in contents {
            do { try folder.write(content, to: file) } catch {
                throw RunError(path: file, message: "cannot be written: \(error.localizedDescription)", exitCode: ExitStatus.cannotCreate)
            }
        }
    }
}
