import Basics
import Checkers
import Foundation

/// Analysed runs as JUnit XML, so that GitHub Actions, GitLab and Jenkins show a run as passed or failed with the reason.
///
/// One `<testsuite>` per run (named `<workload> <run folder>`), one `<testcase>` per checker and one
/// more per key with a finding (`classname` `<workload>.<checker>`, name `key <k>`). An invalid
/// verdict is a `<failure>`; an unknown verdict (a time-out, an unreadable history) is an `<error>`,
/// never `<skipped>`: a run that proved nothing must not look green in CI. Each message carries the
/// verdict and the checker's summary, each body the prose explanation and the report's path.
/// The layout follows the Ant/Jenkins JUnit schema (`docs/results.md`).
public enum JUnitReport {
    /// At most this many per-key test cases per checker; a note in the checker's test case counts the rest.
    public static let maxKeyCases = 200
    /// Prose longer than this many characters is cut, with a note, so that a CI page stays readable.
    public static let maxProse = 4000

    /// The document for `runs`, in order, then one suite with an `<error>` for each run that could
    /// not be analysed (`errors`: a missing `test.json`, an unreadable history).
    public static func xml(_ runs: [AnalysisOutcome], errors: [RunError] = []) -> String {
        let suites = runs.map(suite) + errors.map(errorSuite)
        let totals = suites.reduce((0, 0, 0, 0.0)) { ($0.0 + $1.tests, $0.1 + $1.failures, $0.2 + $1.errors, $0.3 + $1.time) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"schism\" tests=\"\(totals.0)\" failures=\"\(totals.1)\" errors=\"\(totals.2)\" time=\"\(seconds(totals.3))\">\n"
        for s in suites { out += s.text }
        out += "</testsuites>\n"
        return out
    }

    private struct Suite {
        var text: String
        var tests: Int
        var failures: Int
        var errors: Int
        var time: Double
    }

    private static func suite(_ run: AnalysisOutcome) -> Suite {
        let folder = run.run.folder
        let record = run.run.record
        let name = "\(record.workload) \((folder.path as NSString).lastPathComponent)"
        let report = "report: \(folder.reportHTML) (and \(folder.reportText))"
        var cases = ""
        var tests = 0, failures = 0, errors = 0
        let time = run.outcomes.reduce(0) { $0 + $1.elapsedSeconds }
        for o in run.outcomes {
            tests += 1
            let keyed = o.findings.filter { $0.key != nil }
            var body = o.findings.filter { $0.key == nil }.map(\.prose)
            if keyed.count > maxKeyCases { body.append("\(keyed.count - maxKeyCases) more keys with findings are in the report.") }
            if let reason = o.unknownReason { body.append("Unknown: \(reason)") }
            if let error = o.historyError { body.append("The history cannot be read: \(error)") }
            if !keyed.isEmpty { body.append("\(keyed.count) keys with findings: \(keyed.prefix(20).compactMap(\.key).joined(separator: ", "))\(keyed.count > 20 ? ", ..." : "")") }
            body.append(report)
            var result = ""
            switch o.verdict {
            case .valid: break
            case .invalid:
                failures += 1
                result = element("failure", type: "invalid", message: "INVALID: \(o.summary)", body: body.joined(separator: "\n\n"))
            case .unknown:
                errors += 1
                result = element("error", type: "unknown", message: "UNKNOWN: \(o.summary)", body: body.joined(separator: "\n\n"))
            }
            cases += testcase(classname: record.workload, name: o.checker, time: o.elapsedSeconds, result: result)
            for f in keyed.prefix(maxKeyCases) {
                tests += 1
                let result: String
                if o.verdict == .unknown {
                    errors += 1
                    result = element("error", type: f.kind, message: "UNKNOWN: \(f.kind) on key \(f.key ?? "")", body: f.prose + "\n\n" + report)
                } else {
                    failures += 1
                    result = element("failure", type: f.kind, message: "INVALID: \(f.kind) on key \(f.key ?? "")", body: f.prose + "\n\n" + report)
                }
                cases += testcase(classname: "\(record.workload).\(o.checker)", name: "key \(f.key ?? "")", time: 0, result: result)
            }
        }
        var properties = [
            ("workload", record.workload), ("system", record.system), ("seed", String(record.seed)),
            ("verdict", run.verdict.rawValue), ("exitCode", String(run.exitCode)), ("folder", folder.path),
            ("report", folder.reportHTML),
        ]
        if !record.faults.isEmpty { properties.append(("faults", record.faults.joined(separator: ","))) }
        var text = "  <testsuite name=\"\(escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\""
        text += " time=\"\(seconds(time))\" timestamp=\"\(escape(timestamp(record.startDate)))\" hostname=\"localhost\">\n"
        text += "    <properties>\n"
        for (k, v) in properties { text += "      <property name=\"\(escape(k))\" value=\"\(escape(v))\"/>\n" }
        text += "    </properties>\n"
        text += cases
        let notes = run.run.notes.isEmpty ? "" : "Notes:\n" + run.run.notes.joined(separator: "\n") + "\n"
        text += "    <system-out>\(escape("verdict: \(run.verdict.rawValue.uppercased())\n\(notes)\(report)"))</system-out>\n"
        text += "    <system-err></system-err>\n"
        text += "  </testsuite>\n"
        return Suite(text: text, tests: tests, failures: failures, errors: errors, time: time)
    }

    private static func errorSuite(_ error: RunError) -> Suite {
        var text = "  <testsuite name=\"\(escape(error.path))\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\""
        text += " timestamp=\"1970-01-01T00:00:00\" hostname=\"localhost\">\n    <properties/>\n"
        text += testcase(
            classname: "schism", name: "analysis", time: 0,
            result: element("error", type: "exit-status-\(error.exitCode)", message: "CANNOT ANALYSE: \(error.message)", body: error.description))
        text += "    <system-out></system-out>\n    <system-err></system-err>\n  </testsuite>\n"
        return Suite(text: text, tests: 1, failures: 0, errors: 1, time: 0)
    }

    private static func testcase(classname: String, name: String, time: Double, result: String) -> String {
        let open = "    <testcase classname=\"\(escape(classname))\" name=\"\(escape(name))\" time=\"\(seconds(time))\""
        return result.isEmpty ? open + "/>\n" : open + ">\n" + result + "    </testcase>\n"
    }

    private static func element(_ tag: String, type: String, message: String, body: String) -> String {
        "      <\(tag) type=\"\(escape(type))\" message=\"\(escape(cut(message, 500)))\">\(escape(cut(body, maxProse * 4)))</\(tag)>\n"
    }

    /// `text` cut to `limit` characters, saying how much was left out.
    static func cut(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + " ... (\(text.count - limit) more characters in the report)"
    }

    /// Seconds with three decimals, as JUnit readers expect.
    private static func seconds(_ s: Double) -> String { String(format: "%.3f", s) }

    /// The JUnit schema's timestamp (no time zone; Schism's times are UTC): `2026-11-25T10:15:00`.
    private static func timestamp(_ iso: String?) -> String {
        guard let iso, iso.count >= 19 else { return "1970-01-01T00:00:00" }
        return String(iso.prefix(19))
    }

    /// `text` escaped for XML text and attributes; characters XML 1.0 cannot hold become U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0xFFFE...0xFFFF).contains(v) { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
