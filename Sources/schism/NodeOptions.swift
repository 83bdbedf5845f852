import Foundation
import ArgumentParser
import Cluster
import Control

/// The options every command that talks to nodes shares.
struct NodeOptions: ParsableArguments {
    @Option(name: .long, help: "Nodes file (YAML) describing the cluster. Default: the local cluster's.")
    var nodesFile: String?

    @Option(
        name: .long,
        help: "Comma-separated node names or hosts (user@host:port works). With --nodes-file: a subset of it.")
    var nodes: String?

    @Flag(name: .long, help: "Record unknown host keys in known_hosts instead of refusing them (changed keys are always refused).")
    var acceptNewHostKeys = false

    @Option(name: .long, help: ArgumentHelp("Local cluster to use when no nodes are given.", visibility: .hidden))
    var cluster = "default"

    /// The nodes selected by the options.
    func resolve() throws -> NodesFile {
        try NodeSelection.resolve(nodes: nodes, nodesFile: nodesFile, clusterName: cluster)
    }

    /// SSH options from the flags.
    var sshOptions: SSHOptions { SSHOptions(acceptNewHostKeys: acceptNewHostKeys) }
}

/// Maps Schism's errors to their documented exit codes (docs/cluster.md), printing the message.
func controlExit(for error: Error) -> ExitCode {
    let code: Int32
    switch error {
    case let error as RemoteError: code = error.exitCode
    case let error as ClusterError: code = error.exitCode
    case let error as NodesFileError: code = error.exitCode
    default: code = 70
    }
    printError("schism: " + Schism.readable("\(error)"))
    return ExitCode(code)
}
