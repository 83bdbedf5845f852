import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Why a RESP exchange did not produce an answer, and whether the command may have been sent.
public enum RESPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No connection: refused, unreachable, or the connect deadline passed. Nothing was sent.
    case connect(String)
    /// The connection was closed before the command could be written. Nothing was sent.
    case notSent
    /// The deadline passed after the command was written (the connection is then closed).
    case timeout(seconds: Double)
    /// The server closed the connection or reset it after the command was written.
    case closed(String)
    /// The answer is not RESP2 (the connection is then closed).
    case malformed(String)

    /// Whether the command certainly never reached the server.
    public var neverSent: Bool {
        switch self {
        case .connect, .notSent: return true
        case .timeout, .closed, .malformed: return false
        }
    }

    public var description: String {
        switch self {
        case .connect(let why): return why
        case .notSent: return "connection closed before the command was sent"
        case .timeout(let s): return "timeout after \(s == s.rounded() ? "\(Int(s))" : "\(s)")s"
        case .closed(let why): return why
        case .malformed(let why): return why
        }
    }
}

/// One command on its way out, with the promise its answer completes.
struct RESPCommand: Sendable {
    var bytes: [UInt8]
    var answer: EventLoopPromise<RESPValue>
}

/// Splits inbound bytes into RESP values.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    /// Most bytes buffered while an answer is incomplete (memory stays bounded).
    static let maxBufferedBytes = 2 * RESP.maxBulkBytes

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes <= Self.maxBufferedBytes else {
            throw RESP.Malformed(message: "an answer longer than \(Self.maxBufferedBytes) bytes", offset: 0)
        }
        let bytes = Array(buffer.readableBytesView)
        guard let (value, used) = try RESP.decode(bytes) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: used)
        context.fireChannelRead(wrapInboundOut(value))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Matches answers to commands in order (RESP answers in the order commands were sent).
final class RESPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RESPCommand
    typealias OutboundOut = ByteBuffer

    private var pending = CircularBuffer<EventLoopPromise<RESPValue>>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        guard context.channel.isActive else {
            command.answer.fail(RESPError.notSent)
            promise?.fail(RESPError.notSent)
            return
        }
        pending.append(command.answer)
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: command.bytes)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard !pending.isEmpty else { return }
        pending.removeFirst().succeed(value)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure: RESPError =
            if let malformed = error as? RESP.Malformed { .malformed(malformed.description) } else { .closed("connection error: \(error)") }
        failAll(failure)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.closed("connection closed by the server"))
        context.fireChannelInactive()
    }

    private func failAll(_ error: RESPError) {
        while let p = pending.popFirst() { p.fail(error) }
    }
}

/// One TCP connection to a Redis server or Sentinel, one command at a time, each with a deadline.
///
/// A command whose deadline passes closes the connection: its answer could still arrive and
/// would be taken for the next command's. Make a new connection after any error.
public final class RESPConnection: Sendable {
    let channel: any Channel
    /// `host:port`, for messages.
    public let address: String

    private init(channel: any Channel, address: String) {
        self.channel = channel
        self.address = address
    }

    /// Connects to `host:port`, giving up at `deadline` (then `RESPError.connect`, nothing sent).
    public static func connect(host: String, port: Int, deadline: NIODeadline) async throws(RESPError) -> RESPConnection {
        let remaining = deadline - .now()
        guard remaining > .zero else { throw .connect("no time left to connect to \(host):\(port)") }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(remaining)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(RESPDecoder()), RESPClientHandler(),
                    ])
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            return RESPConnection(channel: channel, address: "\(host):\(port)")
        } catch {
            throw .connect(connectMessage(error, host: host, port: port))
        }
    }

    /// Sends `command` and waits for its answer until `deadline`.
    public func send(_ command: [String], deadline: NIODeadline) async throws(RESPError) -> RESPValue {
        let loop = channel.eventLoop
        let answer = loop.makePromise(of: RESPValue.self)
        let seconds = Double(max(0, (deadline - .now()).nanoseconds)) / 1e9
        let rounded = (seconds * 1000).rounded() / 1000
        let timer = loop.scheduleTask(deadline: deadline) {
            answer.fail(RESPError.timeout(seconds: rounded))
        }
        answer.futureResult.whenFailure { [channel] error in
            if case RESPError.timeout = error { channel.close(promise: nil) }
        }
        channel.writeAndFlush(RESPCommand(bytes: RESP.encode(command: command), answer: answer), promise: nil)
        do {
            let value = try await answer.futureResult.get()
            timer.cancel()
            return value
        } catch {
            timer.cancel()
            throw (error as? RESPError) ?? .closed("\(error)")
        }
    }

    /// Closes the connection (waits for the close, errors ignored).
    public func close() async {
        try? await channel.close()
    }

    /// A short message for a failed connect.
    static func connectMessage(_ error: any Error, host: String, port: Int) -> String {
        if let e = error as? ChannelError, case .connectTimeout = e { return "connect timeout to \(host):\(port)" }
        if let e = error as? IOError {
            if e.errnoCode == ECONNREFUSED { return "connection refused by \(host):\(port)" }
            return "cannot connect to \(host):\(port): \(e.description)"
        }
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return connectMessage(first.error, host: host, port: port) }
            return "cannot connect to \(host):\(port)"
        }
        return "cannot connect to \(host):\(port): \(error)"
    }
}
