import ArgumentParser
import Basics
import Checkers
import Foundation
import Histories
import Report
import Results

/// `schism check`: checks histories for linearizability and reports per file, or checks stored
/// runs as they were checked.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check histories (files or folders) for linearizability or transactional anomalies, or runs as they were checked.",
        discussion: """
            Reads Schism JSON Lines, Jepsen/Knossos EDN and Porcupine histories (detected, or \
            --format). Prints one line per file, details for every invalid key, then a summary.
            A run folder (or a link to one, e.g. results/latest) is checked with the checkers and \
            options its test.json names, and nothing is written (schism analyze rewrites its reports).
            --checker list-append or rw-register checks transactions as Elle does (anomalies G0, G1a, \
            G1b, G1c, G-single-item, G2-item, ... and their -process/-realtime variants) against \
            --consistency (default strict-serializable).
            Exit status: 0 all valid, 1 any invalid, 2 any unknown and none invalid, \
            64 bad arguments, 65 a history that cannot be read, 66 a missing file.
            """)

    @Argument(help: "History files or folders (every file below a folder), or run folders.")
    var paths: [String]

    @Option(help: "The checker: \(checkerRegistry.names.joined(separator: ", ")). Default: linearizability.")
    var checker: String?

    @Option(help: "With --checker list-append or rw-register, the consistency model (Elle's names): \(ConsistencyModels.names.joined(separator: ", ")). Default: strict-serializable.")
    var consistency: String?

    @Option(help: "The model: \(Models.names.joined(separator: ", ")). Default: inferred from the operations.")
    var model: String?

    @Option(help: "The initial value as JSON, e.g. 0, null, '\"\"' or '{\"x\":0,\"y\":0}'.")
    var initial: String?

    @Option(help: "Force the input format: \(HistoryFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String?

    @Option(help: "Give up (unknown) after this long per file, e.g. 30s, 500ms, 2m.")
    var timeout: String?

    @Option(help: "Give up (unknown) on one key after this long, or none. Default: 60s.")
    var partitionTimeout: String?

    @Flag(help: "Check every key to the end even once one is invalid (by default the others get as long again as the check had run, at most --early-stop-grace, then stop as unknown).")
    var allPartitions = false

    @Option(help: "Once one key is invalid, the longest the others may still run, e.g. 500ms, 10s. Default: 2s.")
    var earlyStopGrace: String?

    @Option(help: "Stop a search (unknown) once the searches hold more than this, e.g. 512MB, 4GB, or none. Default: half the machine's memory.")
    var maxMemory: String?

    @Flag(help: "Check the whole history as one partition (state = every key) instead of per key.")
    var noPartition = false

    @Option(help: "How to read an ok read of null: absent (no value) or unknown. Default: unknown for EDN, absent otherwise.")
    var nullReads: String?

    @Option(help: "Write an HTML report here (with several files: a folder, one report per file not valid).")
    var html: String?

    @Flag(help: "Print the results as JSON instead of text.")
    var json = false

    @Option(help: "Write JUnit XML to this file for CI: one test suite per run folder, a test case per checker and per failing key.")
    var junit: String?

    @Option(help: "Invalid keys explained in full per file; the rest are counted.")
    var maxExplained = 3

    /// The checker named by --checker, when it is not linearizability.
    private var otherChecker: String? { checker.flatMap { $0 == "linearizability" ? nil : $0 } }

    func validate() throws {
        if let checker, checkerRegistry.plugin(checker) == nil {
            throw ValidationError("unknown checker \"\(checker)\"; choose one of \(checkerRegistry.names.joined(separator: ", "))")
        }
        if let consistency {
            guard ConsistencyModels.names.contains(consistency) else {
                throw ValidationError("unknown consistency model \"\(consistency)\"; choose one of \(ConsistencyModels.names.joined(separator: ", "))")
            }
            guard let name = otherChecker, TransactionPlugin.names.contains(name) else {
                throw ValidationError("--consistency applies to --checker list-append or rw-register")
            }
        }
        if let other = otherChecker {
            let flags = [
                ("--model", model != nil), ("--initial", initial != nil), ("--timeout", timeout != nil),
                ("--partition-timeout", partitionTimeout != nil), ("--no-partition", noPartition),
                ("--null-reads", nullReads != nil), ("--all-partitions", allPartitions), ("--max-memory", maxMemory != nil),
            ]
            if let flag = flags.first(where: \.1)?.0 {
                throw ValidationError("\(flag) is an option of the linearizability checker, not of --checker \(other)")
            }
        }
        if let model, Models.named(model) == nil {
            throw ValidationError("unknown model \"\(model)\"; choose one of \(Models.names.joined(separator: ", "))")
        }
        if let format, HistoryFormat(rawValue: format) == nil {
            throw ValidationError("unknown format \"\(format)\"; choose one of \(HistoryFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for (name, value) in [("--timeout", timeout), ("--partition-timeout", partitionTimeout), ("--early-stop-grace", earlyStopGrace)] {
            if let value, Duration.parseSeconds(value) == nil, !(name == "--partition-timeout" && value == "none") {
                throw ValidationError("\(name) \(value) is not a duration; write e.g. 30s, 500ms or 2m")
            }
        }
        if let maxMemory, maxMemory != "none", MachineMemory.parseBytes(maxMemory) == nil {
            throw ValidationError("--max-memory \(maxMemory) is not a size; write e.g. 512MB, 4GB or none")
        }
        if let initial {
            do { _ = try JSONValue.parse(initial) } catch {
                throw ValidationError("--initial \(initial) is not JSON: column \(error.column): \(error.message). Quote strings: --initial '\"x\"'")
            }
        }
        if let nullReads, !["absent", "unknown"].contains(nullReads) {
            throw ValidationError("--null-reads takes absent or unknown")
        }
        if let junit, !paths.contains(where: RunFolder.isRunFolder) {
            throw ValidationError("--junit \(junit) applies to run folders (e.g. results/latest); none of the paths is one")
        }
        if let run = paths.first(where: RunFolder.isRunFolder) {
            if let plain = paths.first(where: { !RunFolder.isRunFolder($0) }) {
                throw ValidationError("\(run) is a run folder and \(plain) is not; check runs and histories separately")
            }
            let flags = [
                ("--model", model != nil), ("--initial", initial != nil), ("--format", format != nil),
                ("--timeout", timeout != nil), ("--partition-timeout", partitionTimeout != nil),
                ("--no-partition", noPartition), ("--null-reads", nullReads != nil),
                ("--all-partitions", allPartitions), ("--max-memory", maxMemory != nil),
                ("--checker", checker != nil), ("--consistency", consistency != nil),
                ("--early-stop-grace", earlyStopGrace != nil),
            ]
            if let flag = flags.first(where: \.1)?.0 {
                throw ValidationError(
                    "\(flag) does not apply to a run folder (\(run)): it is checked as its test.json says; "
                        + "to change a checker's options use schism analyze RUN --checker NAME --option KEY=VALUE")
            }
        }
    }

    func run() throws {
        if paths.contains(where: RunFolder.isRunFolder) { return try checkRuns() }
        let files = try expand(paths)
        let initialValue = try initial.map { try JSONValue.parse($0) }
        var outcomes: [FileOutcome] = []
        let clock = ContinuousClock()
        let start = clock.now
        for file in files {
            let outcome = checkOne(file, initial: initialValue)
            outcomes.append(outcome)
            if !json { printLine(outcome) }
        }
        if json {
            print(CheckOutput.json(outcomes))
        } else {
            print(CheckOutput.summary(outcomes, seconds: (clock.now - start).seconds))
        }
        try writeHTML { try CheckOutput.writeHTML(outcomes, to: $0, several: files.count > 1) }
        let code = CheckOutput.exitCode(outcomes)
        if code != 0 { throw ExitCode(code) }
    }

    /// The files named, with folders expanded (sorted, hidden files skipped).
    private func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw exitWith(UserFacingError(message: "\(path): no such file or folder", code: ExitStatus.noInput))
            }
            if !isDir.boolValue {
                files.append(path)
                continue
            }
            let found = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
                .map { (path as NSString).appendingPathComponent($0) }
                .filter { fm.fileExists(atPath: $0, isDirectory: &isDir) && !isDir.boolValue }
                .filter { file in
                    // A FIFO or a device in a folder is never opened (it could block or never end).
                    if HistoryReader.isRegularFile(path: file) { return true }
                    printError("\(file): warning: skipped: not a regular file (a FIFO or a device); name it on its own to read it as a stream")
                    return false
                }
                .sorted()
            if found.isEmpty {
                throw exitWith(UserFacingError(message: "\(path): the folder holds no files", code: ExitStatus.noInput))
            }
            files += found
        }
        return files
    }

    private func checkOne(_ file: String, initial: JSONValue?) -> FileOutcome {
        let history: History
        do {
            history = try HistoryReader.read(path: file, format: format.flatMap(HistoryFormat.init(rawValue:)))
        } catch {
            return FileOutcome(file: file, error: error.description, code: error.line == 0 && error.column == 0 && !FileManager.default.isReadableFile(atPath: file) ? ExitStatus.noInput : ExitStatus.dataError)
        }
        for warning in history.warnings { printError(warning.description) }
        if let other = otherChecker {
            var options: [String: JSONValue] = [:]
            if let consistency { options["consistency"] = .string(consistency) }
            do {
                let outcome = try checkerRegistry.make(CheckerSpec(other, options: options)).check(history)
                if let e = outcome.historyError { return FileOutcome(file: file, error: "\(file): \(e)", code: ExitStatus.dataError) }
                return FileOutcome(file: file, history: history, outcome: outcome)
            } catch {
                return FileOutcome(file: file, error: "\(file): \(error.description)", code: ExitStatus.usage)
            }
        }
        let progress = json ? nil : CheckProgress(file: file)
        let chosen = model.flatMap(Models.named) ?? Models.infer(functions: history.operations.clientFunctions)
        var options = CheckOptions(
            initial: initial, partitionByKey: !noPartition, timeoutSeconds: timeout.flatMap(Duration.parseSeconds),
            partitionTimeoutSeconds: partitionTimeout.map(Duration.parseSeconds) ?? CheckOptions.defaultPartitionTimeoutSeconds,
            nullReadsAreUnknown: nullReads.map { $0 == "unknown" } ?? CheckOptions.nullReadsAreUnknown(for: history.format),
            stopEarly: !allPartitions,
            earlyStopGraceSeconds: earlyStopGrace.flatMap(Duration.parseSeconds) ?? CheckOptions.defaultEarlyStopGraceSeconds,
            maxMemoryBytes: maxMemory.map(MachineMemory.parseBytes) ?? CheckOptions.defaultMaxMemoryBytes)
        if let progress {
            options.progress = { done, total in progress.update(done: done, total: total) }
        }
        defer { progress?.finish() }
        do {
            // A register history whose completions all carry versions is checked with versioned-register.
            let choice = RegisterVersions.choose(chosen, for: history.operations, nullReadsAreUnknown: options.nullReadsAreUnknown)
            var result = try LinearizabilityChecker(model: choice.model, options: options).check(operations: choice.operations)
            result.diagnoseSequentialConsistency(
                model: chosen, ops: history.operations, initial: options.initial, nullReadsAreUnknown: options.nullReadsAreUnknown)
            return FileOutcome(file: file, history: history, result: result)
        } catch {
            return FileOutcome(file: file, error: "\(file): \(error.description)", code: ExitStatus.dataError)
        }
    }

    /// Checks each run folder as its run was checked; prints its verdict; writes nothing into it.
    private func checkRuns() throws {
        var codes: [Int32] = []
        var items: [JSONValue] = []
        var pages: [(file: String, verdict: Verdict, html: () -> String)] = []
        var analysed: [AnalysisOutcome] = []
        var failed: [RunError] = []
        for path in paths {
            do throws(RunError) {
                let a = try RunAnalysis.analyze(try StoredRun(path: path), registry: checkerRegistry, write: false)
                codes.append(a.exitCode)
                if junit != nil { analysed.append(a) }
                if json { items.append(a.json) } else { print(CheckOutput.run(a, path: path, maxExplained: maxExplained)) }
                let name = "\(a.run.record.workload)-" + (a.run.folder.path as NSString).lastPathComponent
                pages.append((name, a.verdict, { HTMLReport.render(outcomes: a.outcomes, history: a.history, title: "Schism check: \(path)") }))
            } catch {
                codes.append(error.exitCode)
                failed.append(error)
                if json {
                    items.append(.object(["file": .string(path), "error": .string(error.description), "exitCode": .int(Int64(error.exitCode))]))
                } else {
                    printError("schism: " + Schism.readable(error.description))
                }
            }
        }
        if json { print(JSONValue.array(items).jsonText) }
        try writeHTML { try CheckOutput.writePages(pages, to: $0, several: paths.count > 1) }
        if let junit {
            do { try JUnitReport.xml(analysed, errors: failed).write(toFile: junit, atomically: true, encoding: .utf8) } catch {
                throw exitWith(UserFacingError(message: "cannot write the JUnit file \(junit): \(error.localizedDescription)", code: ExitStatus.cannotCreate))
            }
        }
        let code = CheckOutput.exitCode(codes: codes)
        if code != 0 { throw ExitCode(code) }
    }

    private func printLine(_ o: FileOutcome) {
        print(CheckOutput.line(o))
        if let c = o.outcome, let history = o.history, c.verdict != .valid {
            print(CheckOutput.details(c, history: history, file: o.file, maxExplained: maxExplained))
        }
        if let result = o.result, let history = o.history, result.verdict != .valid {
            print(CheckOutput.details(result, history: history, file: o.file, maxExplained: maxExplained))
        }
    }

    /// Writes the HTML report(s) to `--html`, if given, with `write`.
    private func writeHTML(_ write: (String) throws -> Void) throws {
        guard let html else { return }
        do {
            try write(html)
        } catch {
            throw exitWith(UserFacingError(message: "cannot write the HTML report to \(html): \(error)", code: ExitStatus.cannotCreate))
        }
    }
}
