import Basics
import Foundation
import Results
import SchismTestKit
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// JUnit XML in every run folder and from `schism check --junit`, parsed and checked as CI reads it.
@Suite("JUnit XML")
struct JUnitTests {
    /// The parsed document; fails the test when it is not well-formed XML.
    static func parse(_ path: String) throws -> XMLElement {
        let doc = try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: [])
        return try #require(doc.rootElement())
    }

    static func attr(_ e: XMLElement, _ name: String) -> String? { e.attribute(forName: name)?.stringValue }

    /// Checks the layout CI readers expect (Ant/Jenkins JUnit): counts that match the test cases,
    /// required attributes, at most one result element per test case.
    static func expectSchema(_ root: XMLElement) throws {
        #expect(root.name == "testsuites")
        var total = 0, failures = 0, errors = 0
        for suite in root.elements(forName: "testsuite") {
            for a in ["name", "tests", "failures", "errors", "skipped", "time", "timestamp", "hostname"] {
                #expect(attr(suite, a) != nil, "testsuite without \(a)")
            }
            let timestamp = try #require(attr(suite, "timestamp"))
            #expect(timestamp.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$"#, options: .regularExpression) != nil, "timestamp \(timestamp)")
            let names = (suite.children ?? []).compactMap(\.name)
            #expect(names.first == "properties" && names.suffix(2) == ["system-out", "system-err"], "\(names)")
            let cases = suite.elements(forName: "testcase")
            let f = cases.filter { !$0.elements(forName: "failure").isEmpty }.count
            let e = cases.filter { !$0.elements(forName: "error").isEmpty }.count
            #expect(attr(suite, "tests") == String(cases.count))
            #expect(attr(suite, "failures") == String(f))
            #expect(attr(suite, "errors") == String(e))
            for c in cases {
                #expect(attr(c, "classname") != nil && attr(c, "name") != nil && attr(c, "time") != nil)
                #expect((c.children ?? []).filter { ["failure", "error", "skipped"].contains($0.name ?? "") }.count <= 1)
                for r in c.elements(forName: "failure") + c.elements(forName: "error") {
                    #expect(attr(r, "message") != nil && attr(r, "type") != nil)
                }
            }
            total += cases.count
            failures += f
            errors += e
        }
        #expect(attr(root, "tests") == String(total))
        #expect(attr(root, "failures") == String(failures))
        #expect(attr(root, "errors") == String(errors))
    }

    @Test("a valid run's junit.xml: one passing test case, no failure")
    func validRun() throws {
        let root = try ServeFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try ServeFixtures.run(root: root, workload: "etcd-register", read: 1, date: Date())
        let doc = try Self.parse(run.junitXML)
        try Self.expectSchema(doc)
        let suite = try #require(doc.elements(forName: "testsuite").first)
        #expect(Self.attr(suite, "name")?.hasPrefix("etcd-register ") == true)
        let cases = suite.elements(forName: "testcase")
        #expect(cases.count == 1)
        #expect(Self.attr(cases[0], "name") == "linearizability")
        #expect(cases[0].elements(forName: "failure").isEmpty && cases[0].elements(forName: "error").isEmpty)
        let verdict = suite.elements(forName: "properties").first?.elements(forName: "property").first { Self.attr($0, "name") == "verdict" }
        #expect(verdict.flatMap { Self.attr($0, "value") } == "valid")
    }

    @Test("an invalid run's junit.xml: the checker and the key fail with the verdict, the prose and the report's path")
    func invalidRun() throws {
        let root = try ServeFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try ServeFixtures.run(root: root, workload: "etcd-register", read: 2, date: Date())
        let doc = try Self.parse(run.junitXML)
        try Self.expectSchema(doc)
        let suite = try #require(doc.elements(forName: "testsuite").first)
        let cases = suite.elements(forName: "testcase")
        #expect(cases.map { Self.attr($0, "name") ?? "" } == ["linearizability", "key k"])
        #expect(Self.attr(cases[1], "classname") == "etcd-register.linearizability")
        for c in cases {
            let failure = try #require(c.elements(forName: "failure").first, "\(c)")
            #expect(Self.attr(failure, "message")?.hasPrefix("INVALID: ") == true)
            #expect(failure.stringValue?.contains(run.reportHTML) == true)
        }
        let keyFailure = try #require(cases[1].elements(forName: "failure").first)
        #expect(Self.attr(keyFailure, "type") == "nonlinearizable")
        #expect(keyFailure.stringValue?.contains("not linearizable") == true, "\(keyFailure.stringValue ?? "")")
        #expect(Self.attr(doc, "failures") == "2")
    }

    @Test("schism check RUN... --junit FILE: one suite per run, a folder that is not a run is an error case",
        .enabled(if: SchismExecutable.path != nil, "needs the schism executable (swift build)"))
    func checkCommand() throws {
        let root = try ServeFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let valid = try ServeFixtures.run(root: root, workload: "etcd-register", read: 1, date: Date())
        let invalid = try ServeFixtures.run(root: root, workload: "etcd-register", read: 2, date: Date() + 1)
        let out = root + "/check-junit.xml"
        let r = try CLI.run(["check", valid.path, invalid.path, "--junit", out])
        #expect(r.status == 1, "\(r.output)")
        let doc = try Self.parse(out)
        try Self.expectSchema(doc)
        #expect(doc.elements(forName: "testsuite").count == 2)
        #expect(Self.attr(doc, "failures") == "2")
        // --junit with plain history files is refused with what it applies to.
        let plain = try CLI.run(["check", valid.history, "--junit", out])
        #expect(plain.status == 64)
        #expect(plain.output.contains("--junit") && plain.output.contains("run folders"))
    }
}
