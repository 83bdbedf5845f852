import Basics
import ArgumentParser
import Cluster
import Control
import Foundation

/// `schism exec -- cmd...`: run a command on every selected node in parallel.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command on nodes in parallel; output lines are prefixed with the node's name.",
        discussion: """
            Exit status: 0 when it exited 0 everywhere; 1 when it failed or timed out somewhere; \
            69 when a node was unreachable; 77 when a host key or login was refused.
            """)

    @OptionGroup var nodeOptions: NodeOptions

    @Flag(name: .long, help: "Run as root through sudo (when the node's user is not root).")
    var sudo = false

    @Option(name: .long, help: "Seconds the command may run on each node; then it is stopped there.")
    var timeout: Double = 60

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).")
    var command: [String] = []

    /// The options `exec` takes before `--`, for the nearest-option hint.
    static let optionNames = ["--nodes-file", "--nodes", "--accept-new-host-keys", "--sudo", "--timeout", "--help"]

    func validate() throws {
        // Everything from the first word `exec` does not know is captured as the command, so a
        // mistyped option before `--` would silently run on every node: refuse it instead.
        guard let first = command.first, first != "--", first.hasPrefix("-") else { return }
        if first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
        let name = String(first.prefix { $0 != "=" })
        let hint = nearestOption(to: name, in: Self.optionNames).map { " Did you mean '\($0)'?" } ?? ""
        throw ValidationError(
            "unknown option '\(quoted(name))' before --.\(hint) Options go before --, the command after it, "
                + "e.g. schism exec --nodes n1 -- uname -a")
    }

    func run() async throws {
        let argv = command.first == "--" ? Array(command.dropFirst()) : command
        guard !argv.isEmpty else {
            printError("schism exec: give a command after --, e.g. `schism exec -- uname -a`")
            throw ExitCode(ExitStatus.usage)
        }
        let nodes: NodesFile
        do { nodes = try nodeOptions.resolve() } catch { throw controlExit(for: error) }
        let remotes = RemoteSet(nodesFile: nodes, options: nodeOptions.sshOptions)
        let script = argv.count == 1 ? argv[0] : ShellQuote.join(argv)
        let results = await remotes.execAll(RemoteCommand(script: script, timeoutSeconds: timeout, sudo: sudo))
        var worst: Int32 = 0
        for (node, result) in results {
            switch result {
            case .success(let out):
                printLines(out.stdoutText, prefix: "[\(node)] ", toStderr: false)
                printLines(out.stderrText, prefix: "[\(node)!] ", toStderr: true)
                if out.exitStatus != 0 {
                    printError("[\(node)!] exit status \(out.exitStatus)")
                    worst = max(worst, 1)
                }
            case .failure(let error):
                printError("[\(node)!] \(error)")
                worst = max(worst, error.exitCode)
            }
        }
        await remotes.closeAll()
        if worst != 0 { throw ExitCode(worst) }
    }

    private func printLines(_ text: String, prefix: String, toStderr: Bool) {
        guard !text.isEmpty else { return }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            if toStderr { printError(prefix + line) } else { print(prefix + line) }
        }
    }
}
