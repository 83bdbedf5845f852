import Basics
import Control
import Histories
import NIOCore
import Systems

/// A register client for Redis that follows Sentinel's failovers.
///
/// | f | command | ok | fail | info |
/// |---|---|---|---|---|
/// | `read` | `GET` | value read, `null` if absent | any error (a read has no effect) | never |
/// | `write v` | `SET`, then `WAIT n` if set | `+OK` (and WAIT reached n) | never sent, or an error reply | timeout, closed after sending, WAIT short |
/// | `cas [e, n]` | `EVAL` of ``casScript`` | it wrote | compare failed, never sent, error reply | timeout, closed after sending, WAIT short |
///
/// Writes go to the primary that the Sentinel on the worker's own node names
/// (`SENTINEL get-master-addr-by-name`), asked again on every new connection, after a
/// `-READONLY` or `-MASTERDOWN` answer, and once the answer is older than
/// ``resolveIntervalSeconds``: a client follows a failover as Redis's own Sentinel clients do,
/// and sees what its node's Sentinel sees. Reads go to that primary too, or with
/// `replicaReads` straight to the worker's own node, which may be a replica.
///
/// An error reply to `SET` or to the script means nothing was written: Redis runs a command
/// (and a script) atomically, and the script's `SET` is its last call, so an error is raised
/// before any write. Errors whose prefix is not one Redis uses for rejections are `info`.
///
/// With `WAIT n`, a write that fewer than `n` replicas acknowledged before the WAIT timeout
/// is `info`, not `ok`: the primary applied it, but Redis promises nothing about it surviving
/// a failover, and `info` (may or may not have happened) is exactly that. So `ok` means
/// "acknowledged by the primary and n replicas", the claim WAIT is meant to make.
public actor RedisClient: Client {
    /// The worker's node (its Sentinel is asked; with replica reads, its server is read).
    public nonisolated let node: NodeConfig
    /// The deployment and client settings.
    public nonisolated let config: RedisConfig
    /// Seconds each operation may take, connecting and asking Sentinel included.
    public nonisolated let timeoutSeconds: Double
    /// Put before every key sent to Redis.
    public nonisolated let keyPrefix: String

    /// Seconds after which the primary's address is asked of Sentinel again.
    public static let resolveIntervalSeconds = 1.0
    /// Longest a TCP connect may take, so a partitioned node fails fast as never sent.
    public static let connectTimeoutSeconds = 0.5

    /// The compare-and-set script: writes ARGV[2] when the key holds ARGV[1]; returns 1 or 0.
    public static let casScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]); return 1 else return 0 end"

    /// Error prefixes with which Redis rejects a command before it runs.
    public static let rejectionPrefixes = [
        "READONLY", "LOADING", "MASTERDOWN", "NOREPLICAS", "BUSY", "OOM", "MISCONF", "NOSCRIPT", "WRONGTYPE", "ERR",
        "NOAUTH", "NOPERM", "EXECABORT", "TRYAGAIN", "CLUSTERDOWN",
    ]

    private var primary: (connection: RESPConnection, resolvedAt: ContinuousClock.Instant)?
    private var local: RESPConnection?

    /// A client for the worker on `node`.
    public init(node: NodeConfig, config: RedisConfig, timeoutSeconds: Double, keyPrefix: String) {
        self.node = node
        self.config = config
        self.timeoutSeconds = timeoutSeconds
        self.keyPrefix = keyPrefix
    }

    /// Performs `read`, `write` or `cas`; never throws (errors become `fail` or `info`).
    public func invoke(_ request: ClientRequest) async -> ClientResponse {
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeoutSeconds * 1e9))
        guard let shortKey = request.key else { return refuse(request, "Redis client: '\(request.f)' needs a key") }
        let key = keyPrefix + shortKey
        switch request.f {
        case "read":
            return await read(key, deadline: deadline)
        case "write":
            guard let v = request.value.intValue else { return refuse(request, "Redis client: write needs an integer value") }
            return await mutate(request, ["SET", key, String(v)], deadline: deadline) { answer in
                answer == .simpleString("OK") ? true : nil
            }
        case "cas":
            guard let pair = request.value.arrayValue, pair.count == 2, let e = pair[0].intValue, let n = pair[1].intValue else {
                return refuse(request, "Redis client: cas needs [expected, new] integers")
            }
            return await mutate(request, ["EVAL", Self.casScript, "1", key, String(e), String(n)], deadline: deadline) { answer in
                switch answer {
                case .integer(1): return true
                case .integer(0): return false
                default: return nil
                }
            }
        default:
            return refuse(request, "Redis client: unsupported operation '\(request.f)'")
        }
    }

    /// Closes the connections.
    public func close() async {
        await primary?.connection.close()
        await local?.close()
        primary = nil
        local = nil
    }

    private func refuse(_ request: ClientRequest, _ message: String) -> ClientResponse {
        ClientResponse(type: .fail, value: request.value, error: message)
    }

    private func read(_ key: String, deadline: NIODeadline) async -> ClientResponse {
        let answer: RESPValue
        do throws(RESPError) {
            let connection = try await (config.replicaReads ? localConnection(deadline) : primaryConnection(deadline))
            answer = try await send(connection, ["GET", key], deadline: deadline, local: config.replicaReads)
        } catch {
            return ClientResponse(type: .fail, value: .null, error: error.description)
        }
        switch answer {
        case .bulkString(nil):
            return ClientResponse(type: .ok, value: .null)
        case .bulkString(let bytes?):
            guard let v = Int64(String(decoding: bytes, as: UTF8.self)) else {
                return ClientResponse(type: .fail, value: .null, error: "GET \(key) answered a non-integer: \(answer.summary)")
            }
            return ClientResponse(type: .ok, value: .int(v))
        case .error(let message):
            await noteError(message, local: config.replicaReads)
            return ClientResponse(type: .fail, value: .null, error: message)
        default:
            return ClientResponse(type: .fail, value: .null, error: "GET \(key) answered \(answer.summary)")
        }
    }

    /// A write or cas: `applied(answer)` says whether it wrote (true), did not (false), or
    /// the answer is not one the command gives (nil: `info`).
    private func mutate(
        _ request: ClientRequest, _ command: [String], deadline: NIODeadline, applied: (RESPValue) -> Bool?
    ) async -> ClientResponse {
        let connection: RESPConnection
        let answer: RESPValue
        do throws(RESPError) {
            connection = try await primaryConnection(deadline)
            answer = try await send(connection, command, deadline: deadline, local: false)
        } catch {
            return ClientResponse(type: error.neverSent ? .fail : .info, value: request.value, error: error.description)
        }
        if case .error(let message) = answer {
            await noteError(message, local: false)
            let rejected = Self.rejectionPrefixes.contains { message.hasPrefix($0 + " ") || message == $0 }
            return ClientResponse(type: rejected ? .fail : .info, value: request.value, error: message)
        }
        guard let wrote = applied(answer) else {
            return ClientResponse(type: .info, value: request.value, error: "\(command[0]) answered \(answer.summary)")
        }
        guard wrote else { return ClientResponse(type: .fail, value: request.value) }
        guard config.waitReplicas > 0 else { return ClientResponse(type: .ok, value: request.value) }
        return await wait(request, connection, deadline: deadline)
    }

    /// `WAIT n timeout` after an applied write: `ok` when n replicas acknowledged it, else `info`.
    private func wait(_ request: ClientRequest, _ connection: RESPConnection, deadline: NIODeadline) async -> ClientResponse {
        let left = Int((deadline - .now()).nanoseconds / 1_000_000) - 50
        let timeout = max(1, min(config.waitTimeoutMilliseconds, left))
        let n = config.waitReplicas
        do throws(RESPError) {
            let answer = try await send(connection, ["WAIT", String(n), String(timeout)], deadline: deadline, local: false)
            guard case .integer(let acknowledged) = answer else {
                return ClientResponse(type: .info, value: request.value, error: "applied on the primary; WAIT answered \(answer.summary)")
            }
            if acknowledged >= n { return ClientResponse(type: .ok, value: request.value) }
            return ClientResponse(
                type: .info, value: request.value,
                error: "applied on the primary; WAIT: \(acknowledged) of \(n) replicas acknowledged within \(timeout) ms")
        } catch {
            return ClientResponse(type: .info, value: request.value, error: "applied on the primary; WAIT: \(error)")
        }
    }

    /// Sends on a connection; on a transport error drops it so the next operation reconnects.
    private func send(_ connection: RESPConnection, _ command: [String], deadline: NIODeadline, local: Bool) async throws(RESPError) -> RESPValue {
        do {
            return try await connection.send(command, deadline: deadline)
        } catch {
            await drop(local: local)
            if case .timeout = error { throw .timeout(seconds: timeoutSeconds) }
            throw error
        }
    }

    /// After `-READONLY` or `-MASTERDOWN` the server is no (longer a) primary: ask Sentinel again.
    private func noteError(_ message: String, local: Bool) async {
        guard !local, message.hasPrefix("READONLY") || message.hasPrefix("MASTERDOWN") else { return }
        await drop(local: false)
    }

    private func drop(local: Bool) async {
        if local {
            await self.local?.close()
            self.local = nil
        } else {
            await primary?.connection.close()
            primary = nil
        }
    }

    /// The connection to the worker's own node's server.
    private func localConnection(_ deadline: NIODeadline) async throws(RESPError) -> RESPConnection {
        if let local { return local }
        let connection = try await RESPConnection.connect(host: node.host, port: config.port, deadline: connectDeadline(deadline))
        local = connection
        return connection
    }

    /// The connection to the primary the worker's Sentinel names, asked again when stale.
    private func primaryConnection(_ deadline: NIODeadline) async throws(RESPError) -> RESPConnection {
        let now = ContinuousClock.now
        if let primary, now - primary.resolvedAt < .milliseconds(Int64(Self.resolveIntervalSeconds * 1000)) {
            return primary.connection
        }
        let address = try await RedisSentinel.primaryAddress(at: node, config: config, deadline: connectDeadline(deadline))
        let key = "\(address.host):\(address.port)"
        if let primary, primary.connection.address == key {
            self.primary = (primary.connection, now)
            return primary.connection
        }
        await primary?.connection.close()
        primary = nil
        let connection = try await RESPConnection.connect(host: address.host, port: address.port, deadline: connectDeadline(deadline))
        primary = (connection, now)
        return connection
    }

    /// The earlier of `deadline` and the connect timeout from now.
    private func connectDeadline(_ deadline: NIODeadline) -> NIODeadline {
        min(deadline, .now() + .milliseconds(Int64(Self.connectTimeoutSeconds * 1000)))
    }
}

/// Makes ``RedisClient``s; they share NIO's global event loops and hold their own connections.
public struct RedisClientFactory: ClientFactory {
    /// The deployment and client settings.
    public let config: RedisConfig

    /// A factory for `config`.
    public init(config: RedisConfig) {
        self.config = config
    }

    /// A client for the worker on `node`.
    public func makeClient(node: NodeConfig, options: ClientOptions) throws(SystemError) -> any Client {
        guard options.timeoutSeconds > 0, options.timeoutSeconds.isFinite else {
            throw SystemError(node: node.name, message: "client timeout must be positive, got \(options.timeoutSeconds)")
        }
        return RedisClient(node: node, config: config, timeoutSeconds: options.timeoutSeconds, keyPrefix: options.keyPrefix)
    }
}
