import Basics
import ArgumentParser
import Control
import Foundation
import Faults
import Plugins

/// `schism heal`: undo every fault Schism may have left on the nodes, e.g. after a killed run.
struct HealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heal",
        abstract: "Undo the faults Schism may have left on nodes (partitions, packet loss, pauses, clock offsets).",
        discussion: """
            On every node, whatever the journal says: removes Schism's iptables chain SCHISM and its \
            jump rules (no other rule), sends SIGCONT to stopped processes listed in *.pid files \
            under the node's data folder, and resets the faketime file to +0. With --journal \
            (results/<run>/faults.jsonl) it also restarts the NTP services a clock fault stopped \
            and resets real clocks it moved, and lists servers that were killed and never restarted.
            Exit status: 0 when everything was undone; 1 when something could not be undone; \
            65 for a malformed journal; 66 for a missing journal or no nodes; 69/77 as for exec.
            """)

    @OptionGroup var nodeOptions: NodeOptions

    @Option(name: .long, help: "The run's fault journal (results/<run>/faults.jsonl), to undo what only it knows.")
    var journal: String?

    func run() async throws {
        try await run(registry: BuiltIn.registry.faults)
    }

    /// Heals with the families of `registry` (each undoes what its faults may have left).
    func run(registry: FaultRegistry) async throws {
        var events: [FaultEvent] = []
        if let journal {
            guard FileManager.default.fileExists(atPath: journal) else {
                printError("schism: no such fault journal: \(journal)")
                throw ExitCode(ExitStatus.noInput)
            }
            do {
                events = try FaultJournal.read(path: journal)
            } catch {
                printError("schism: \(error)")
                throw ExitCode(ExitStatus.dataError)
            }
        }
        let nodes: NodesFile
        do { nodes = try nodeOptions.resolve() } catch { throw controlExit(for: error) }
        let remotes = RemoteSet(nodesFile: nodes, options: nodeOptions.sshOptions)
        let connectFailures = await remotes.connectAll()
        let reachable = RemoteSet(remotes: remotes.remotes.filter { r in !connectFailures.contains { $0.node == r.node } })
        let report = await Healer(registry: registry, nodes: nodes.nodes, remotes: reachable).heal(events: events)
        await remotes.closeAll()
        for line in report.lines { print(line) }
        for failure in connectFailures { printError("FAILED \(failure)") }
        if let journal {
            do {
                var event = report.event(timeNanoseconds: events.last?.timeNanoseconds ?? 0, nodes: nodes.nodes.map(\.name))
                event.details["by"] = "schism heal"
                try FaultJournal(path: journal).append(event)
            } catch {
                printError("schism: could not record the heal in \(journal): \(error)")
            }
        }
        if let worst = connectFailures.map(\.exitCode).max() { throw ExitCode(worst) }
        if !report.isClean { throw ExitCode(ExitStatus.invalid) }
    }
}
