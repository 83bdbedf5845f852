import Control
import Foundation

/// Which nodes a command talks to, from `--nodes` / `--nodes-file`, or the local cluster.
public enum NodeSelection {
    /// Resolves the nodes a command should use.
    ///
    /// - `--nodes-file F`: the nodes of F (filtered by `--nodes a,b` when both are given).
    /// - `--nodes a,b,c` alone: if the local cluster is up and has nodes with all these names,
    ///   those nodes; otherwise hosts `a`, `b`, `c` with defaults (`~/.ssh/config`, agent, port 22).
    /// - neither: every node of the local cluster `clusterName`.
    public static func resolve(
        nodes: String?, nodesFile: String?, clusterName: String = "default",
        stateRoot: String = ClusterSpec.defaultStateRoot
    ) throws -> NodesFile {
        if let nodesFile {
            let file = try NodesFile.load(path: nodesFile)
            guard let nodes else { return file }
            return try file.selecting(names(nodes))
        }
        let local = LocalCluster.existing(name: clusterName, stateRoot: stateRoot)
        if let nodes {
            if let local, let file = try? NodesFile.load(path: local.spec.nodesFilePath),
                let picked = try? file.selecting(names(nodes))
            {
                return picked
            }
            return NodesFile(nodes: try NodeConfig.shorthand(nodes), source: "--nodes")
        }
        guard let local else {
            throw ClusterError(
                .notUp, "no nodes given and no local cluster '\(clusterName)' is up",
                hint: "run `schism cluster up`, or pass --nodes-file <file> or --nodes host1,host2")
        }
        return try NodesFile.load(path: local.spec.nodesFilePath)
    }

    private static func names(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
