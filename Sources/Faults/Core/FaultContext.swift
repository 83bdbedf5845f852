import Control
import Synchronization
import Systems

/// What a fault family acts through: the nodes and their connections, the system under test,
/// command time-outs, and per-family state kept for one controller (or one heal).
public final class FaultContext: Sendable {
    /// The nodes and their connections.
    public let cluster: TestCluster
    /// The system under test; nil for `schism heal` and tests without one.
    public let system: (any SystemUnderTest)?
    /// Seconds each fault command may run on a node.
    public let commandTimeoutSeconds: Double
    private let states = Mutex<[ObjectIdentifier: any Sendable]>([:])

    /// A context for `cluster`.
    public init(cluster: TestCluster, system: (any SystemUnderTest)?, commandTimeoutSeconds: Double = 15) {
        self.cluster = cluster
        self.system = system
        self.commandTimeoutSeconds = commandTimeoutSeconds
    }

    /// The node names, in nodes-file order.
    public var nodeNames: [String] { cluster.nodes.map(\.name) }

    /// The configuration of the node named `name`.
    public func node(_ name: String) -> NodeConfig? {
        cluster.nodes.first { $0.name == name }
    }

    /// The names of the nodes that have a connection (heal acts on these only).
    public var connectedNodeNames: [String] {
        cluster.nodes.map(\.name).filter { cluster.remotes[$0] != nil }
    }

    /// Reads and changes a family's state of type `S` (one value per type and context), created from `initial`.
    public func withState<S: Sendable, R: Sendable>(_ initial: @autoclosure () -> S, _ body: (inout S) -> R) -> R {
        states.withLock { all in
            let key = ObjectIdentifier(S.self)
            var state = all[key] as? S ?? initial()
            let result = body(&state)
            all[key] = state
            return result
        }
    }

    /// Runs `body` for each named node at once; collects per-node values and failures.
    public func eachNode<T: Sendable>(
        _ names: [String], _ body: @escaping @Sendable (NodeConfig, any Remote) async throws(NemesisError) -> T
    ) async -> (values: [String: T], errors: [NodeFailure]) {
        let pairs: [(NodeConfig, any Remote)] = names.compactMap { name in
            guard let config = node(name), let remote = cluster.remotes[name] else { return nil }
            return (config, remote)
        }
        var errors = names.filter { name in !pairs.contains { $0.0.name == name } }
            .map { NodeFailure(node: $0, message: "no connection to this node") }
        var values: [String: T] = [:]
        await withTaskGroup(of: (String, Result<T, NemesisError>).self) { group in
            for (config, remote) in pairs {
                group.addTask {
                    do throws(NemesisError) {
                        return (config.name, .success(try await body(config, remote)))
                    } catch {
                        return (config.name, .failure(error))
                    }
                }
            }
            for await (name, result) in group {
                switch result {
                case .success(let value): values[name] = value
                case .failure(let error):
                    var failure = error.nodeFailure
                    failure.node = name
                    errors.append(failure)
                }
            }
        }
        errors.sort { $0.node < $1.node }
        return (values, errors)
    }

    /// Runs a script on a node, throwing unless it exits 0; returns its output.
    @discardableResult
    public func run(_ remote: any Remote, _ script: String, sudo: Bool, doing what: String) async throws(NemesisError) -> String {
        do throws(RemoteError) {
            return try await remote.runScript(script, timeoutSeconds: commandTimeoutSeconds, sudo: sudo)
        } catch {
            throw NemesisError(error, doing: what)
        }
    }

    /// Runs a cleanup script on every connected node; each non-empty output line becomes an action.
    public func runEverywhere(_ script: @escaping @Sendable (NodeConfig) -> String, doing what: String) async -> HealReport {
        let result = await eachNode(connectedNodeNames) { config, remote throws(NemesisError) -> [String] in
            try await self.run(remote, script(config), sudo: true, doing: what).split(separator: "\n").map(String.init)
        }
        var report = HealReport()
        for name in connectedNodeNames {
            report.actions += (result.values[name] ?? []).filter { !$0.isEmpty }.map { HealReport.Action(node: name, what: $0) }
        }
        report.failures = result.errors
        return report
    }
}
