import ArgumentParser

/// The `schism` command: the root of every subcommand.
@main
struct Schism: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schism",
        abstract: "Jepsen-style chaos and linearizability testing.",
        subcommands: [
            TestCommand.self, CheckCommand.self, AnalyzeCommand.self, GenerateCommand.self, ClusterCommand.self, ExecCommand.self,
            TestAllCommand.self, HealCommand.self, ServeCommand.self,
        ])
}
