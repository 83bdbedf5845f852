import Basics

/// The end of `schism test-all` (and `schism test --test-count N`): the runs by outcome, with their
/// folders, and the worst exit status, as Jepsen's `test-all` prints them.
public struct SeriesSummary: Sendable, Equatable {
    /// One run of the series.
    public struct Run: Sendable, Equatable {
        /// The workload's name.
        public var workload: String
        /// The run's folder, when one was created.
        public var folder: String?
        /// Its exit status: 0/1/2 by verdict, another ``ExitStatus`` when the run crashed.
        public var exitCode: Int32

        public init(workload: String, folder: String?, exitCode: Int32) {
            self.workload = workload
            self.folder = folder
            self.exitCode = exitCode
        }
    }

    /// The runs, in the order they ran.
    public var runs: [Run]
    /// The signal that stopped the series, if one did.
    public var stopped: Int32?

    public init(runs: [Run], stopped: Int32? = nil) {
        self.runs = runs
        self.stopped = stopped
    }

    /// How bad an exit status is: valid < unknown < invalid < crashed (any other status, higher
    /// worse) < stopped by a signal.
    public static func rank(_ code: Int32) -> Int {
        switch code {
        case ExitStatus.valid: return 0
        case ExitStatus.unknown: return 1
        case ExitStatus.invalid: return 2
        case 129...159: return 1000 + Int(code)
        default: return 100 + Int(code)
        }
    }

    /// The worst status of all runs, or 128 + the signal when the series was stopped.
    public var exitCode: Int32 {
        let worst = runs.map(\.exitCode).max { Self.rank($0) < Self.rank($1) } ?? ExitStatus.valid
        if let stopped { return max(worst, ExitStatus.interrupted(stopped)) }
        return worst
    }

    /// The summary for a person: each group with its folders, then the counts.
    public var text: String {
        let groups: [(String, (Int32) -> Bool)] = [
            ("Successful", { $0 == ExitStatus.valid }),
            ("Unknown", { $0 == ExitStatus.unknown }),
            ("Crashed", { ![ExitStatus.valid, ExitStatus.unknown, ExitStatus.invalid].contains($0) }),
            ("Failed", { $0 == ExitStatus.invalid }),
        ]
        var lines: [String] = []
        var counts: [Int] = []
        for (title, matches) in groups {
            let those = runs.filter { matches($0.exitCode) }
            counts.append(those.count)
            guard !those.isEmpty else { continue }
            lines.append("# \(title) tests")
            for r in those {
                let code = title == "Crashed" ? " (exit status \(r.exitCode))" : ""
                lines.append("\(r.folder ?? "\(r.workload): no results folder")\(code)")
            }
            lines.append("")
        }
        lines.append("\(counts[0]) successes")
        lines.append("\(counts[1]) unknown")
        lines.append("\(counts[2]) crashed")
        lines.append("\(counts[3]) failures")
        if let stopped {
            lines.append("stopped by signal \(stopped) after \(runs.count) runs; no further run was started")
        }
        lines.append("exit status \(exitCode)")
        return lines.joined(separator: "\n")
    }
}
