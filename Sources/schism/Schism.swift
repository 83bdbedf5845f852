import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `schism` command: the root of every subcommand.
@main
struct Schism: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schism",
        abstract: "Jepsen-style chaos and linearizability testing.",
        discussion: """
            Shell completions: schism --generate-completion-script bash|zsh|fish (see docs/cli.md \
            for where to install them).
            """,
        subcommands: [
            TestCommand.self, TestAllCommand.self, CheckCommand.self, AnalyzeCommand.self, GenerateCommand.self,
            ClusterCommand.self, ExecCommand.self, HealCommand.self, ServeCommand.self,
        ])

    /// Parses and runs the command as ArgumentParser would, but cuts any long word of an argument
    /// error (a 10 MB value quoted back) to a readable length.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = readable(fullMessage(for: error))
            if !message.isEmpty {
                if code == .success { printNow(message) } else { printError(message) }
            }
            Glibc.exit(code.rawValue)
        }
    }

    /// `message` with every word longer than ``maxQuoted`` cut (`quoted`), lines kept.
    static func readable(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: " ", omittingEmptySubsequences: false).map { quoted(String($0)) }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}
