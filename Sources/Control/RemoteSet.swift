/// The remotes of a cluster, with helpers to act on all of them in parallel.
public struct RemoteSet: Sendable {
    /// The remotes, in nodes-file order.
    public let remotes: [any Remote]

    /// Wraps existing remotes (for tests: fakes).
    public init(remotes: [any Remote]) {
        self.remotes = remotes
    }

    /// One ``SSHRemote`` per node of a nodes file (nothing connects yet).
    public init(nodesFile: NodesFile, options: SSHOptions = SSHOptions()) {
        self.remotes = nodesFile.nodes.map { SSHRemote($0, options: options) }
    }

    /// The remote of the node with this name.
    public subscript(name: String) -> (any Remote)? {
        remotes.first { $0.node == name }
    }

    /// The node names, in order.
    public var names: [String] { remotes.map(\.node) }

    /// Runs `body` on every remote at once; results in node order.
    public func forEach<T: Sendable>(
        _ body: @escaping @Sendable (any Remote) async throws(RemoteError) -> T
    ) async -> [(node: String, result: Result<T, RemoteError>)] {
        await withTaskGroup(of: (Int, Result<T, RemoteError>).self) { group in
            for (index, remote) in remotes.enumerated() {
                group.addTask { () async -> (Int, Result<T, RemoteError>) in
                    do throws(RemoteError) {
                        return (index, .success(try await body(remote)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [(node: String, result: Result<T, RemoteError>)?](repeating: nil, count: remotes.count)
            for await (index, result) in group {
                results[index] = (remotes[index].node, result)
            }
            return results.compactMap { $0 }
        }
    }

    /// Runs a command on every node at once; results in node order.
    public func execAll(_ command: RemoteCommand) async -> [(node: String, result: Result<ExecResult, RemoteError>)] {
        await forEach { remote throws(RemoteError) in try await remote.exec(command) }
    }

    /// Connects to every node at once; returns the failures (empty when all connected).
    public func connectAll() async -> [RemoteError] {
        await forEach { remote throws(RemoteError) in try await remote.connect() }.compactMap {
            if case .failure(let error) = $0.result { return error }
            return nil
        }
    }

    /// Closes every connection.
    public func closeAll() async {
        for remote in remotes { await remote.close() }
    }
}
