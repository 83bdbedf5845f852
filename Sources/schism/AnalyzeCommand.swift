import ArgumentParser
import Basics
import Checkers
import Foundation
import Histories
import Results

/// `schism analyze`: checks a stored run again and rewrites its results and reports.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Check a stored run again and rewrite its results.json, report.txt and report.html.",
        discussion: """
            Runs the checkers the run's test.json names, with their options, or those named with \
            --checker (with the run's options for a checker it names, none for another). --option \
            sets an option of every checker, or of one with CHECKER.KEY=VALUE; the value is JSON, \
            else text, and a duration such as 30s for an option ending in Seconds. \
            Checkers: \(checkerRegistry.names.joined(separator: ", ")).
            Exit status: 0 valid, 1 invalid, 2 unknown, 64 bad arguments, 65 a history or test.json \
            that cannot be read, 66 a missing run, 73 a report that cannot be written.
            """)

    @Argument(help: ArgumentHelp("The run folder, or a link to one (results/latest, results/<workload>/latest).", valueName: "run"))
    var path: String

    @Option(name: .customLong("checker"), help: "A checker to run instead of the run's own; repeat for several.")
    var checkers: [String] = []

    @Option(name: .customLong("option"), help: "[CHECKER.]KEY=VALUE, e.g. timeoutSeconds=30s or linearizability.model=cas-register.")
    var options: [String] = []

    @Flag(help: "Print results.json instead of text.")
    var json = false

    @Option(help: "Invalid keys explained in full; the rest are counted.")
    var maxExplained = 3

    func validate() throws {
        for name in checkers where checkerRegistry.plugin(name) == nil {
            throw ValidationError("unknown checker \"\(name)\"; choose one of \(checkerRegistry.names.joined(separator: ", "))")
        }
        for option in options { _ = try Self.parse(option) }
    }

    func run() throws {
        let outcome: AnalysisOutcome
        do throws(RunError) {
            let stored = try StoredRun(path: path)
            outcome = try RunAnalysis.analyze(stored, specs: try specs(stored.record.checkers), registry: checkerRegistry, write: true)
        } catch {
            throw exitWith(UserFacingError(message: error.description, code: error.exitCode))
        }
        if json {
            print(outcome.json.jsonText)
            printError("rewrote \(outcome.files.joined(separator: ", "))")
        } else {
            print(CheckOutput.run(outcome, path: path, maxExplained: maxExplained))
            print("rewrote \(outcome.files.joined(separator: ", "))")
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// The specs to run: nil for the run's own, else those named, with the options given.
    private func specs(_ stored: [CheckerSpec]) throws(RunError) -> [CheckerSpec]? {
        guard !checkers.isEmpty || !options.isEmpty else { return nil }
        var specs = checkers.isEmpty ? stored : checkers.map { name in stored.first { $0.name == name } ?? CheckerSpec(name) }
        for option in options {
            guard let parsed = try? Self.parse(option) else { continue }
            let checker = parsed.checker
            guard checker == nil || specs.contains(where: { $0.name == checker }) else {
                throw RunError(path: path, message: "--option \(option): checker \(checker ?? "") is not run", exitCode: ExitStatus.usage)
            }
            for i in specs.indices where checker == nil || specs[i].name == checker {
                specs[i].options[parsed.key] = parsed.value
            }
        }
        return specs
    }

    /// `[CHECKER.]KEY=VALUE` as its parts; the value is JSON, else text, and a duration for a key ending in `Seconds`.
    static func parse(_ option: String) throws -> (checker: String?, key: String, value: JSONValue) {
        guard let eq = option.firstIndex(of: "="), eq != option.startIndex else {
            throw ValidationError("--option \(option): write KEY=VALUE or CHECKER.KEY=VALUE")
        }
        let name = option[..<eq]
        let text = String(option[option.index(after: eq)...])
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let (checker, key) = parts.count == 2 ? (parts[0], parts[1]) : (nil, parts[0])
        if key.hasSuffix("Seconds"), let seconds = Duration.parseSeconds(text) { return (checker, key, .double(seconds)) }
        return (checker, key, (try? JSONValue.parse(text)) ?? .string(text))
    }
}
