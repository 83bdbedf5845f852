import Basics
import ArgumentParser
import Cluster
import Control
import Foundation

/// `schism cluster up|down|status`: the local cluster of namespace hosts.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Create, inspect or remove the local cluster (network-namespace hosts on this machine).",
        discussion: "Needs root. See docs/cluster.md for what it creates.",
        subcommands: [Up.self, Down.self, Status.self])

    struct Identity: ParsableArguments {
        @Option(name: .long, help: "Cluster name (letters, digits, '-').")
        var name = "default"

        @Option(name: .long, help: "Network index N: subnet 10.77.N.0/24, bridge schism-brN (0-199).")
        var netIndex: Int?

        func spec(nodeCount: Int?) -> ClusterSpec {
            let existing = LocalCluster.existing(name: name)?.spec
            return ClusterSpec(
                name: name, netIndex: netIndex ?? existing?.netIndex ?? 0,
                nodeCount: nodeCount ?? existing?.nodeCount ?? 5)
        }
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the cluster, or repair it (idempotent). Writes its nodes file.")

        @Option(name: .long, help: "Number of nodes, n1...nN (1-32).")
        var nodes = 5

        @OptionGroup var identity: Identity

        @Flag(name: .long, help: "Install missing Debian packages with apt-get instead of stopping.")
        var installPackages = false

        func run() async throws {
            let start = Date()
            let cluster = LocalCluster(spec: identity.spec(nodeCount: nodes))
            do {
                let file = try await cluster.up(installPackages: installPackages)
                let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
                print("cluster '\(cluster.spec.name)' up: \(file.nodes.count) nodes in \(seconds) s")
                for node in file.nodes { print("  \(node.name)  \(node.host)") }
                print("nodes file: \(cluster.spec.nodesFilePath)")
            } catch {
                throw controlExit(for: error)
            }
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove everything `up` created (also after a crash).")

        @OptionGroup var identity: Identity

        func run() async throws {
            let start = Date()
            let cluster = LocalCluster(spec: identity.spec(nodeCount: nil))
            do {
                try await cluster.down()
                print("cluster '\(cluster.spec.name)' down in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
            } catch {
                throw controlExit(for: error)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the nodes file's path and each node's state.")

        @OptionGroup var identity: Identity

        func run() async throws {
            guard let cluster = LocalCluster.existing(name: identity.name) else {
                let up = identity.name == "default" ? "schism cluster up" : "schism cluster up --name \(identity.name) --net-index N"
                let others = LocalCluster.names()
                let hint = "run `\(up)`" + (others.isEmpty ? "" : ", or give --name one of this machine's clusters: \(others.joined(separator: ", "))")
                throw controlExit(for: ClusterError(.notUp, "no local cluster '\(identity.name)'", hint: hint))
            }
            print("cluster: \(cluster.spec.name)  subnet \(cluster.spec.subnet)  bridge \(cluster.spec.bridge)")
            print("nodes file: \(cluster.spec.nodesFilePath)")
            var healthy = true
            for node in await cluster.status() {
                print("  \(node.name)  \(node.address)  \(node.summary)")
                healthy = healthy && node.summary == "up"
            }
            if !healthy {
                print("repair with: schism cluster up --name \(cluster.spec.name)")
                throw ExitCode(ExitStatus.unavailable)
            }
        }
    }
}
