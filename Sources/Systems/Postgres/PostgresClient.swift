import Basics
import Control
import Histories
import PostgresNIO
import Synchronization
import Systems

/// A transactional client for the primary, over one PostgreSQL connection (postgres-nio).
///
/// Each `txn` request runs as `BEGIN ISOLATION LEVEL …`, one statement per micro-operation,
/// `COMMIT`, all within the request's timeout:
///
/// | outcome | type |
/// |---|---|
/// | committed | `ok`, reads filled in |
/// | an ERROR answer (serialization failure 40001, deadlock 40P01, any other), also to `COMMIT` | `fail` (rolled back) |
/// | a FATAL answer (the session ended, e.g. 57P01 in a crash) to `COMMIT` | `info` (before `COMMIT`: `fail`) |
/// | connect failed; connection lost or timed out before `COMMIT` was sent | `fail` (the server rolls back an open transaction whose client is gone) |
/// | connection lost or timed out after `COMMIT` was sent | `info` |
///
/// After any error but a server's answer the connection is dropped and the next request opens
/// a new one. Requests of one client never overlap (a worker waits for each).
public actor PostgresClient: Client {
    /// The node the server runs on (every client connects to it).
    public nonisolated let primary: NodeConfig
    public nonisolated let config: PostgresConfig
    public nonisolated let tables: PostgresTables
    public nonisolated let timeoutSeconds: Double
    private var connection: PostgresConnection?
    private var nextID = 0
    private let logger: Logger

    /// A client of the server on `primary`.
    public init(primary: NodeConfig, config: PostgresConfig, tables: PostgresTables, timeoutSeconds: Double) {
        self.primary = primary
        self.config = config
        self.tables = tables
        self.timeoutSeconds = timeoutSeconds
        var logger = Logger(label: "schism.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    public func invoke(_ request: ClientRequest) async -> ClientResponse {
        guard request.f == "txn" else {
            return ClientResponse(type: .fail, value: request.value, error: "postgres client: unsupported operation '\(request.f)' (only txn)")
        }
        let ops: [MicroOp]
        switch MicroOp.parse(request.value) {
        case .success(let o): ops = o
        case .failure(let refusal): return ClientResponse(type: .fail, value: request.value, error: refusal.message)
        }
        let deadline = ContinuousClock.now + .nanoseconds(Int64(timeoutSeconds * 1e9))
        let conn: PostgresConnection
        do {
            conn = try await connected(until: deadline)
        } catch {
            return ClientResponse(type: .fail, value: request.value, error: "connecting to \(primary.host):\(config.port): \(Self.describe(error))")
        }
        let gate = CommitGate()
        let sql = tables
        let isolation = config.isolationSQL
        let logger = self.logger
        let work = Task { await Self.transact(ops, on: conn, tables: sql, isolation: isolation, gate: gate, logger: logger) }
        let outcome = await Self.first(of: work, orNilAt: deadline) ?? .timedOut
        if case .timedOut = outcome {
            // Stop the transaction: once the connection is gone it cannot commit. The task is not
            // awaited: a query on a dying connection may never complete.
            _ = gate.abandon()
            work.cancel()
            _ = try? await Self.within(ContinuousClock.now + .seconds(1)) { try await conn.close() }
        }
        switch outcome {
        case .committed(let reads):
            let value = JSONValue.array(zip(ops, reads).map { $0.json(read: $1) })
            return ClientResponse(type: .ok, value: value)
        case .refused(let message, let keepConnection):
            if !keepConnection { await drop(conn) }
            return ClientResponse(type: .fail, value: request.value, error: message)
        case .lost(let message):
            await drop(conn)
            return ClientResponse(type: gate.commitSent ? .info : .fail, value: request.value, error: message)
        case .timedOut:
            await drop(conn)
            let when = gate.commitSent ? "after COMMIT was sent" : "before COMMIT was sent"
            return ClientResponse(
                type: gate.commitSent ? .info : .fail, value: request.value,
                error: "timeout after \(timeoutSeconds) s \(when)")
        }
    }

    public func close() async {
        if let c = connection { try? await c.close() }
        connection = nil
    }

    /// The open connection, or a new one (its table created) within the deadline: a paused
    /// server accepts the TCP connection but never answers the start-up, so the whole of it is
    /// raced against the deadline (cancelling the connect closes its channel).
    private func connected(until deadline: ContinuousClock.Instant) async throws -> PostgresConnection {
        if let c = connection, !c.isClosed { return c }
        connection = nil
        var configuration = PostgresConnection.Configuration(
            host: primary.host, port: config.port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        let left = ContinuousClock.now.duration(to: deadline)
        let leftMilliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        configuration.options.connectTimeout = .milliseconds(max(50, leftMilliseconds))
        nextID += 1
        let id = nextID
        let logger = self.logger
        let createSQL = tables.createSQL
        let settings = configuration
        let c = try await Self.within(deadline, discard: { try? await $0.close() }) { () async throws -> PostgresConnection in
            let c = try await PostgresConnection.connect(configuration: settings, id: id, logger: logger)
            do {
                try await c.query(PostgresQuery(unsafeSQL: createSQL), logger: logger)
            } catch let error as PSQLError where ["23505", "42P07"].contains(error.serverInfo?[.sqlState] ?? "") {
                // Another client created the table at the same moment.
            } catch {
                try? await c.close()
                throw error
            }
            return c
        }
        connection = c
        return c
    }

    /// `body`'s result, unless `deadline` comes first: then ``ConnectTimeout`` (and `body`'s task
    /// is cancelled, and awaited; a value it still returns goes to `discard`, so a connection
    /// opened just too late is closed, never dropped open).
    static func within<T: Sendable>(
        _ deadline: ContinuousClock.Instant, discard: @escaping @Sendable (T) async -> Void = { _ in },
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            if let first = try await group.next(), let value = first { return value }
            // The deadline won: the body's outcome, whenever it comes, is not the answer.
            group.cancelAll()
            if let rest = try? await group.next(), let late = rest { await discard(late) }
            throw ConnectTimeout()
        }
    }

    /// `task`'s value, or nil once `deadline` passes first (the task then keeps running, not
    /// awaited).
    static func first<T: Sendable>(of task: Task<T, Never>, orNilAt deadline: ContinuousClock.Instant) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = Once(continuation)
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                once.resume(nil)
            }
            Task {
                let value = await task.value
                timer.cancel()
                once.resume(value)
            }
        }
    }

    /// Connecting (TCP, start-up, the table) took until the request's deadline.
    struct ConnectTimeout: Error, CustomStringConvertible {
        var description: String { "no answer before the request's deadline (server paused or unreachable?)" }
    }

    private func drop(_ c: PostgresConnection) async {
        try? await c.close()
        if connection === c { connection = nil }
    }

    /// How a transaction ended.
    enum TxnOutcome: Sendable {
        /// Committed; the value read by each micro-operation (nil for writes).
        case committed([JSONValue?])
        /// The server answered with an error: rolled back.
        case refused(String, keepConnection: Bool)
        /// The connection failed.
        case lost(String)
        case timedOut
    }

    /// Runs the transaction; never throws.
    static func transact(
        _ ops: [MicroOp], on conn: PostgresConnection, tables: PostgresTables, isolation: String, gate: CommitGate, logger: Logger
    ) async -> TxnOutcome {
        var reads: [JSONValue?] = []
        do {
            try await conn.query(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation)"), logger: logger)
            for op in ops {
                if op.fn == "r" {
                    var binds = PostgresBindings()
                    binds.append(op.key)
                    let rows = try await conn.query(PostgresQuery(unsafeSQL: tables.readSQL, binds: binds), logger: logger)
                    if tables.lists {
                        var text: String?
                        for try await v in rows.decode(String?.self) { text = v }
                        guard let list = PostgresTables.list(text) else {
                            _ = try? await conn.query("ROLLBACK", logger: logger)
                            return .refused("key \(op.key) holds \(text ?? "") , not a list of integers", keepConnection: true)
                        }
                        reads.append(list)
                    } else {
                        var value: Int64?
                        for try await v in rows.decode(Int64?.self) { value = v }
                        reads.append(value.map { .int($0) } ?? .null)
                    }
                } else {
                    var binds = PostgresBindings()
                    binds.append(op.key)
                    if tables.lists { binds.append(String(op.value ?? 0)) } else { binds.append(op.value ?? 0) }
                    try await conn.query(PostgresQuery(unsafeSQL: tables.writeSQL, binds: binds), logger: logger)
                    reads.append(nil)
                }
            }
            guard gate.beginCommit() else { return .timedOut }
            try await conn.query("COMMIT", logger: logger)
            return .committed(reads)
        } catch let error as PSQLError where error.code == .server {
            let state = error.serverInfo?[.sqlState] ?? "?"
            let message = error.serverInfo?[.message] ?? "error"
            // An ERROR leaves the session usable once rolled back; FATAL or PANIC end it.
            let usable = error.serverInfo?[.severity] == "ERROR" && !conn.isClosed
            // A session ended (e.g. 57P01 when a crash takes the server down) while COMMIT was in
            // flight may have committed first: unknown.
            if gate.commitSent, error.serverInfo?[.severity] != "ERROR" { return .lost("\(state): \(message)") }
            if usable, !gate.commitSent { _ = try? await conn.query("ROLLBACK", logger: logger) }
            return .refused("\(state): \(message)", keepConnection: usable)
        } catch {
            return .lost(describe(error))
        }
    }

    /// A short description of a driver error.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let info = e.serverInfo { return "\(info[.sqlState] ?? "?"): \(info[.message] ?? "error")" }
            return "\(e.code)" + (e.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }
}

/// A continuation resumed once, by whichever of several tasks comes first.
final class Once<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ c: CheckedContinuation<T, Never>) {
        continuation = Mutex(c)
    }

    /// Resumes the continuation with `value` unless it was resumed before.
    func resume(_ value: T) {
        let c = continuation.withLock { c -> CheckedContinuation<T, Never>? in
            defer { c = nil }
            return c
        }
        c?.resume(returning: value)
    }
}

/// Whether `COMMIT` was sent, and whether the request gave up first, decided under one lock so
/// that a transaction abandoned at its timeout never sends `COMMIT` afterwards.
final class CommitGate: Sendable {
    private let state = Mutex<(abandoned: Bool, committing: Bool)>((false, false))

    /// Marks `COMMIT` as sent; false (send nothing) when the request was abandoned.
    func beginCommit() -> Bool {
        state.withLock { s in
            if s.abandoned { return false }
            s.committing = true
            return true
        }
    }

    /// Abandons the request; returns whether `COMMIT` had been sent.
    func abandon() -> Bool {
        state.withLock { s in
            s.abandoned = true
            return s.committing
        }
    }

    /// Whether `COMMIT` was sent.
    var commitSent: Bool { state.withLock { $0.committing } }
}
