import Foundation
import SchismTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The command line as people type it: the real `schism` executable, its messages and exit statuses.
@Suite("schism's messages (real executable)", .enabled(if: SchismExecutable.path != nil, "needs the schism executable (swift build)"))
struct CLIMessageTests {
    @Test("schism exec --help prints help instead of running --help on every node")
    func execHelp() throws {
        for flag in ["--help", "-h"] {
            let r = try CLI.run(["exec", flag])
            #expect(r.status == 0)
            #expect(r.output.contains("USAGE: schism exec"), "\(r.output)")
            #expect(!r.output.contains("no local cluster"))
        }
    }

    @Test("a mistyped option before -- is refused with the nearest valid one, not run on the nodes")
    func execMistypedOption() throws {
        let r = try CLI.run(["exec", "--node", "n1", "--", "touch", "/tmp/should-not-run"])
        #expect(r.status == 64)
        #expect(r.output.contains("unknown option '--node' before --. Did you mean '--nodes'?"), "\(r.output)")
    }

    @Test("cluster status of a cluster that is not there names the command that makes it, with its name")
    func clusterStatusHint() throws {
        let r = try CLI.run(["cluster", "status", "--name", "no-such-one"])
        #expect(r.status != 0)
        #expect(r.output.contains("no local cluster 'no-such-one'"), "\(r.output)")
        #expect(r.output.contains("schism cluster up --name no-such-one --net-index N"), "\(r.output)")
    }

    @Test("--concurrency -1 says what is allowed, not 'Missing value'")
    func negativeConcurrency() throws {
        let r = try CLI.run(["test", "--concurrency", "-1"])
        #expect(r.status == 64)
        #expect(r.output.contains("--concurrency: must be between 1 and 1000, got -1"), "\(r.output)")
        #expect(!r.output.contains("Missing value"))
    }

    @Test("--nemesis none,kill and --time-limit 0 say what was wrong and what is allowed")
    func nemesisAndTimeLimit() throws {
        let none = try CLI.run(["test", "--nemesis", "none,kill"])
        #expect(none.status == 64)
        #expect(none.output.contains("\"none\" means no faults and cannot be combined with \"kill\""), "\(none.output)")
        let zero = try CLI.run(["test", "--time-limit", "0"])
        #expect(zero.status == 64)
        #expect(zero.output.contains("--time-limit: must be at least"), "\(zero.output)")
    }

    @Test("a folder given as the workload is named as a folder, not NSCocoaErrorDomain")
    func folderAsWorkload() throws {
        let r = try CLI.run(["test", NSTemporaryDirectory()])
        #expect(r.status == 66)
        #expect(r.output.contains("is a folder; give a workload file (YAML)"), "\(r.output)")
        #expect(!r.output.contains("NSCocoaErrorDomain"))
    }

    @Test("unknown options are refused with the nearest valid one")
    func unknownOptions() throws {
        for (args, nearest) in [(["test", "--concurency", "3"], "--concurrency"), (["check", "--timeot", "3s", "x"], "--timeout"),
                                (["serve", "--prot", "1"], "--port"), (["test-all", "w.yml", "--test-cont", "2"], "--test-count")] {
            let r = try CLI.run(args)
            #expect(r.status == 64, "\(args)")
            #expect(r.output.contains("Did you mean '\(nearest)'?"), "\(args): \(r.output)")
        }
    }

    @Test("an error quotes a huge input cut to a readable length")
    func hugeInputCut() throws {
        let huge = String(repeating: "x", count: 30_000)
        for args in [["test", "--nemesis", huge], ["check", "--model", huge, "h.jsonl"], ["test", "--" + huge]] {
            let r = try CLI.run(args)
            #expect(r.status == 64)
            #expect(r.output.utf8.count < 1500, "\(r.output.utf8.count) bytes")
            #expect(r.output.contains("bytes in all)"), "\(r.output.prefix(400))")
        }
    }

    @Test("every subcommand's --help works", arguments: [
        [], ["test"], ["test-all"], ["check"], ["analyze"], ["generate"], ["cluster"], ["cluster", "up"], ["cluster", "down"],
        ["cluster", "status"], ["exec"], ["heal"], ["serve"],
    ])
    func help(_ command: [String]) throws {
        let r = try CLI.run(command + ["--help"])
        #expect(r.status == 0, "\(command): \(r.output)")
        #expect(r.output.contains("USAGE: schism"), "\(command)")
    }

    @Test("shell completions are generated for bash, zsh and fish")
    func completions() throws {
        for (shell, marker) in [("bash", "-F _schism schism"), ("zsh", "#compdef schism"), ("fish", "complete -c 'schism'")] {
            let r = try CLI.run(["--generate-completion-script", shell])
            #expect(r.status == 0)
            #expect(r.output.contains(marker), "\(shell)")
            #expect(r.output.contains("test-all") && r.output.contains("serve"), "\(shell) completions lack the new commands")
        }
    }

    @Test("schism serve binds 127.0.0.1 by default; another address prints a warning")
    func serveBind() throws {
        let root = try ServeFixtures.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try ServeFixtures.run(root: root, workload: "etcd-register", read: 2, date: Date())
        let (line, output) = try Self.serveFirstLine(["serve", "--port", "0", "--results", root])
        #expect(line.contains("at http://127.0.0.1:"), "\(line)")
        let port = try #require(Int(line.split(separator: ":").last?.prefix { $0.isNumber } ?? ""), "\(line)")
        _ = port
        #expect(!output.contains("warning"))
        let (wide, wideOutput) = try Self.serveFirstLine(["serve", "--bind", "0.0.0.0", "--port", "0", "--results", root])
        #expect(wide.contains("at http://0.0.0.0:"), "\(wide)")
        #expect(wideOutput.contains("warning: serving on 0.0.0.0, reachable from other machines: results hold node logs"), "\(wideOutput)")
        let missing = try CLI.run(["serve", "--results", root + "/nope"])
        #expect(missing.status == 66)
        #expect(missing.output.contains("no such results folder"))
    }

    /// Starts `schism args`, waits for its `serving ...` line, requests the index, stops it by PID.
    static func serveFirstLine(_ args: [String]) throws -> (String, String) {
        let path = try #require(SchismExecutable.path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        defer {
            if p.isRunning { kill(p.processIdentifier, SIGTERM) }
            p.waitUntilExit()
        }
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        func served() -> Bool { text.split(separator: "\n").contains { $0.hasPrefix("serving ") } }
        while !served(), Date() < deadline, p.isRunning {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let line = text.split(separator: "\n").first { $0.hasPrefix("serving ") }.map(String.init) ?? ""
        if let portText = line.split(separator: ":").last?.prefix(while: \.isNumber), let port = Int(portText) {
            let r = try RawHTTP.send("GET", "/", port: port)
            #expect(r.status == 200)
            #expect(r.text.contains("<tr class=\"invalid\""))
        }
        return (line, text)
    }
}
