import Basics
import Systems
import Histories
import Synchronization

/// Streams a run's history to `history.jsonl` as it happens, from many workers at once.
///
/// Each invocation is written before its request is sent, and each completion after its
/// response arrives, so line order never contradicts real time. The file is flushed at least
/// every second by the runner (`flush()`) and synced at the end (`finish()`).
public final class Recorder: Sendable {
    private struct State {
        var writer: HistoryWriter
        var next = 0
        var counts: [OpType: Int] = [:]
        var error: HistoryError?
    }

    private let state: Mutex<State>
    /// The run's clock: `time` fields count its nanoseconds since the test started.
    public let clock: any RunClock
    public let path: String

    public init(path: String, clock: any RunClock = SystemRunClock()) throws(HistoryError) {
        let writer = try HistoryWriter(path: path)
        state = Mutex(State(writer: writer))
        self.clock = clock
        self.path = path
    }

    /// Nanoseconds since the test started.
    public func elapsedNanoseconds() -> Int64 { clock.elapsedNanoseconds() }

    private func append(_ make: (Int, Int64) -> Op) {
        state.withLock { s in
            // The time is read under the lock, so that times follow line order.
            let op = make(s.next, elapsedNanoseconds())
            s.next += 1
            s.counts[op.type, default: 0] += op.process == .nemesis ? 0 : 1
            if s.error != nil { return }
            do throws(HistoryError) { try s.writer.append(op) } catch { s.error = error }
        }
    }

    /// Records an invocation; call it before sending the request.
    public func invoke(process: Int, _ request: ClientRequest, node: String? = nil) {
        append { i, t in
            Op(index: i, time: t, process: .client(process), type: .invoke, f: request.f, key: request.key,
                      value: request.value, node: node)
        }
    }

    /// Records a completion; call it after the response arrived. A response's `version` becomes
    /// the completion's `version` field.
    public func complete(process: Int, _ request: ClientRequest, _ response: ClientResponse, node: String? = nil) {
        append { i, t in
            Op(index: i, time: t, process: .client(process), type: response.type, f: request.f,
                      key: request.key, value: response.value, error: response.error, node: node,
                      extra: response.version.map { ["version": .int($0)] } ?? [:])
        }
    }

    /// Records a fault or its undo as a nemesis operation: `info` when it was applied (in whole
    /// or in part), `fail` when it was refused before anything ran.
    public func nemesis(f: String, value: JSONValue, error: String? = nil, type: OpType = .info) {
        append { i, t in Op(index: i, time: t, process: .nemesis, type: type, f: f, value: value, error: error) }
    }

    /// Completions so far by type, and invocations (`invoke`).
    public var counts: [OpType: Int] { state.withLock { $0.counts } }

    /// The first write error, if writing failed (the disk filled up, say).
    public var writeError: HistoryError? { state.withLock { $0.error } }

    /// Pushes buffered lines to the file.
    public func flush() {
        state.withLock { s in
            guard s.error == nil else { return }
            do throws(HistoryError) { try s.writer.flush() } catch { s.error = error }
        }
    }

    /// Flushes, syncs to disk and closes the file; throws the first write error.
    public func finish() throws(HistoryError) {
        let error: HistoryError? = state.withLock { s in
            if s.error == nil {
                do throws(HistoryError) {
                    try s.writer.sync()
                    try s.writer.close()
                } catch { s.error = error }
            }
            return s.error
        }
        if let error { throw error }
    }
}
