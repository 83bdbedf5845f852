import Basics
import Config

/// A kind of system Schism can test, as the registry lists it: `db.system` in a workload file
/// names one.
///
/// A plug-in reads its own fields of the `db:` section (everything but `system`), and makes the
/// system's lifecycle and its client factory. See docs/extending.md.
public protocol SystemPlugin: Sendable {
    /// The name in `db.system`, e.g. `etcd`.
    var name: String { get }

    /// One line for `schism test --help` and error messages.
    var summary: String { get }

    /// The workload kinds its client can run (e.g. `register`); any other is refused before
    /// anything is deployed.
    var workloadKinds: Set<String> { get }

    /// Reads the `db:` section (`system` already read) and makes the system.
    func configure(_ db: ConfigSection) throws(ConfigError) -> ConfiguredSystem
}

/// A system ready to deploy: its lifecycle and the factory of its clients.
public struct ConfiguredSystem: Sendable {
    /// The lifecycle.
    public var system: any SystemUnderTest
    /// Makes the factory of the run's clients; called once per run, when clients are needed
    /// (a factory may hold connection pools that must be shut down).
    public var makeClients: @Sendable () -> any ClientFactory
    /// The settings as JSON, for `test.json`.
    public var settings: [String: JSONValue]

    public init(
        system: any SystemUnderTest, settings: [String: JSONValue] = [:],
        makeClients: @escaping @Sendable () -> any ClientFactory
    ) {
        self.system = system
        self.makeClients = makeClients
        self.settings = settings
    }
}
