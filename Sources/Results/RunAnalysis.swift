import Basics
import Checkers
import Histories
import Report

/// The one way a run is judged: the end of `schism test`, `schism check <run>` and
/// `schism analyze <run>` all come here.
///
/// It makes the checkers from their specs (the ones in `test.json` unless others are given), reads
/// the history back from disk, runs every checker and merges the verdicts (invalid beats unknown
/// beats valid); asked to, it writes `results.json`, `report.txt` and `report.html`.
public enum RunAnalysis {
    /// Checks `run` with `specs` (default: its `test.json`'s) made through `registry`; with `write`,
    /// rewrites the folder's results and reports. Throws when a checker cannot be made, the history
    /// cannot be read, or a file cannot be written.
    public static func analyze(
        _ run: StoredRun, specs: [CheckerSpec]? = nil, registry: CheckerRegistry, renderers: OutcomeRenderers = .standard,
        write: Bool
    ) throws(RunError) -> AnalysisOutcome {
        let chosen = specs ?? run.record.checkers
        let checkers = specs == nil
            ? try make(chosen, registry: registry, at: run.folder.testJSON, exitCode: ExitStatus.dataError)
            : try make(chosen, registry: registry, at: run.folder.path, exitCode: ExitStatus.usage)
        let history = try run.readHistory()
        let outcome = AnalysisOutcome(run: run, specs: chosen, outcomes: checkers.map { $0.check(history) }, history: history)
        if write { try outcome.write(renderers: renderers) }
        return outcome
    }

    /// The checkers `specs` name; throws a ``RunError`` at `path` (where they came from) with
    /// `code` when there are none, a name repeats, or one cannot be made.
    static func make(_ specs: [CheckerSpec], registry: CheckerRegistry, at path: String, exitCode code: Int32) throws(RunError) -> [any Checker] {
        let known = "known checkers: \(registry.names.joined(separator: ", "))"
        guard !specs.isEmpty else {
            throw RunError(path: path, message: "names no checker; \(known) (choose one with schism analyze RUN --checker NAME)", exitCode: code)
        }
        var seen: Set<String> = []
        var checkers: [any Checker] = []
        for spec in specs {
            guard seen.insert(spec.name).inserted else {
                throw RunError(path: path, message: "checker \(spec.name) is named twice", exitCode: code)
            }
            do { checkers.append(try registry.make(spec)) } catch {
                throw RunError(path: path, message: error.description, exitCode: code)
            }
        }
        return checkers
    }
}
