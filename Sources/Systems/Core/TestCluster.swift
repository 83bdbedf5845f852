import Foundation
import Control

/// The nodes of a test and a connection to each, with the helpers every daemon's lifecycle uses.
public struct TestCluster: Sendable {
    public let nodes: [NodeConfig]
    public let remotes: RemoteSet

    public init(nodes: [NodeConfig], remotes: RemoteSet) {
        self.nodes = nodes
        self.remotes = remotes
    }

    /// The connection to `node`.
    public func remote(_ node: NodeConfig) throws(SystemError) -> any Remote {
        guard let r = remotes[node.name] else {
            throw SystemError(node: node.name, message: "no connection to node \(node.name)")
        }
        return r
    }

    /// Runs `script` with `sh -c` on `node` and returns its stdout.
    ///
    /// A non-zero exit becomes an error whose message is `what` and the first line of stderr,
    /// and whose detail is the rest of stderr (scripts print the log's tail there).
    @discardableResult
    public func run(
        _ script: String, on node: NodeConfig, doing what: String, timeoutSeconds: Double, sudo: Bool
    ) async throws(SystemError) -> String {
        let remote = try remote(node)
        let command = RemoteCommand(script: script, timeoutSeconds: timeoutSeconds, sudo: sudo)
        let result: ExecResult
        do {
            result = try await remote.exec(command)
        } catch {
            throw SystemError(error, doing: what)
        }
        guard result.succeeded else {
            let lines = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", maxSplits: 1)
            throw SystemError(
                node: node.name, message: "\(what) failed (exit \(result.exitStatus)): \(lines.first.map(String.init) ?? "no message")",
                detail: lines.count > 1 ? String(lines[1]) : "")
        }
        return result.stdoutText
    }

    /// Runs `body` for every node at once and returns its results by node name; throws one
    /// error naming every node that failed.
    ///
    /// Every node is tried even when some fail, so a teardown cleans up all it can reach.
    @discardableResult
    public func forEachNode<T: Sendable>(
        _ body: @escaping @Sendable (NodeConfig) async throws(SystemError) -> T
    ) async throws(SystemError) -> [String: T] {
        let outcomes = await withTaskGroup(of: (String, Result<T, SystemError>).self) { group in
            for node in nodes {
                group.addTask {
                    do throws(SystemError) {
                        return (node.name, .success(try await body(node)))
                    } catch {
                        return (node.name, .failure(error))
                    }
                }
            }
            var all: [(String, Result<T, SystemError>)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        var results: [String: T] = [:]
        var failures: [SystemError] = []
        for (name, outcome) in outcomes {
            switch outcome {
            case .success(let value): results[name] = value
            case .failure(let error): failures.append(error)
            }
        }
        failures.sort { ($0.node ?? "") < ($1.node ?? "") }
        guard let first = failures.first else { return results }
        if failures.count == 1 { throw first }
        throw SystemError(
            node: nil, message: "failed on \(failures.count) nodes",
            detail: failures.map(\.description).joined(separator: "\n"))
    }
}
