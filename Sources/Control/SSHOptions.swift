/// Options that apply to every SSH connection Schism makes.
public struct SSHOptions: Sendable, Hashable {
    /// Record unknown host keys in known_hosts instead of refusing them (`--accept-new-host-keys`).
    ///
    /// A host whose key *changed* is refused whatever this says.
    public var acceptNewHostKeys: Bool
    /// Most channels (commands and transfers) open at once on one connection (OpenSSH allows 10).
    public var maxChannels: Int
    /// Attempts for a command whose connection broke before it started (reconnecting each time).
    public var attempts: Int
    /// libssh log level (0: none); libssh logs go to stderr.
    public var logLevel: Int32

    /// Creates options; the defaults are strict host-key checking and 8 channels.
    public init(acceptNewHostKeys: Bool = false, maxChannels: Int = 8, attempts: Int = 3, logLevel: Int32 = 0) {
        self.acceptNewHostKeys = acceptNewHostKeys
        self.maxChannels = min(10, max(1, maxChannels))
        self.attempts = min(10, max(1, attempts))
        self.logLevel = logLevel
    }
}
