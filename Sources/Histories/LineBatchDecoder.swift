import Dispatch
import Synchronization

/// Decodes a line-based history (JSON Lines, a Jepsen log) in batches on another thread while
/// the caller reads the next batch's lines and checks the previous batch's operations, in order.
///
/// Decoding is about half the cost of reading a history; the checks that pair invocations with
/// completions need line order and stay on the caller's thread. One batch is decoded while the
/// next fills, so at most two batches of lines are held. The first line that does not decode
/// is reported after every line before it has been handed on, as a sequential reader would.
struct LineBatchDecoder {
    /// Decodes one line: its bytes, length, and its position among the batch's lines counted
    /// from the first line of the file given to the decoder; nil for a line that is not an operation.
    typealias Decode = @Sendable (UnsafePointer<UInt8>, Int, Int) throws(ScanFailure) -> Op?

    /// Lines (or bytes) a batch holds before it is decoded.
    static let batchLines = 1 << 14
    static let batchBytes = 4 << 20

    private var filling = Batch(firstPosition: 0)
    private var inFlight: (batch: Batch, decoded: Decoded)?
    let file: String
    let decode: Decode

    init(file: String, decode: @escaping Decode) {
        self.file = file
        self.decode = decode
    }

    /// Adds a line (copied: the reader's buffer moves on); when the batch is full, starts
    /// decoding it and hands on the operations of the batch decoded before.
    mutating func add(_ line: UnsafePointer<UInt8>, length: Int, lineNumber: Int, _ each: (Op, _ line: Int) throws -> Void) throws {
        filling.add(line, length: length, lineNumber: lineNumber)
        if filling.starts.count >= Self.batchLines || filling.bytes.count >= Self.batchBytes { try rotate(each) }
    }

    /// Decodes what is left and hands on every operation not handed on yet.
    mutating func finish(_ each: (Op, _ line: Int) throws -> Void) throws {
        try rotate(each)
        if let last = inFlight {
            inFlight = nil
            try handOn(last, each)
        }
    }

    private mutating func rotate(_ each: (Op, _ line: Int) throws -> Void) throws {
        guard !filling.starts.isEmpty else { return }
        let started = (filling, filling.decode(decode))
        filling = Batch(firstPosition: filling.firstPosition + filling.starts.count)
        let previous = inFlight
        inFlight = started
        if let previous { try handOn(previous, each) }
    }

    private func handOn(_ item: (batch: Batch, decoded: Decoded), _ each: (Op, _ line: Int) throws -> Void) throws {
        let (batch, decoded) = item
        decoded.done.wait()
        let result = decoded.result.withLock { taken in
            defer { taken = Decoded.Result() }
            return taken
        }
        for (op, k) in zip(result.ops, result.lines) { try each(op, batch.lineNumbers[Int(k)]) }
        if let (k, error) = result.failure {
            let column = batch.bytes.withUnsafeBufferPointer { b in
                b.baseAddress.map { ByteSource.column($0 + batch.starts[k], length: min(error.offset, batch.lengths[k])) } ?? 1
            }
            throw HistoryError(file: file, line: batch.lineNumbers[k], column: column, message: error.message)
        }
    }

    /// The copied bytes of a batch's lines, each line's start, length and number.
    private struct Batch: Sendable {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var lengths: [Int] = []
        var lineNumbers: [Int] = []
        let firstPosition: Int

        init(firstPosition: Int) {
            self.firstPosition = firstPosition
            bytes.reserveCapacity(LineBatchDecoder.batchBytes + 4096)
        }

        mutating func add(_ line: UnsafePointer<UInt8>, length: Int, lineNumber: Int) {
            starts.append(bytes.count)
            lengths.append(length)
            lineNumbers.append(lineNumber)
            bytes.append(contentsOf: UnsafeBufferPointer(start: line, count: length))
        }

        /// Starts decoding every line on another thread.
        func decode(_ line: @escaping Decode) -> Decoded {
            let decoded = Decoded()
            let batch = self
            DispatchQueue.global().async {
                var out = Decoded.Result()
                out.ops.reserveCapacity(batch.starts.count)
                out.lines.reserveCapacity(batch.starts.count)
                batch.bytes.withUnsafeBufferPointer { b in
                    guard let base = b.baseAddress else { return }
                    for k in batch.starts.indices {
                        do throws(ScanFailure) {
                            guard let op = try line(base + batch.starts[k], batch.lengths[k], batch.firstPosition + k) else { continue }
                            out.ops.append(op)
                            out.lines.append(Int32(k))
                        } catch {
                            // The lines after it are never handed on.
                            out.failure = (k, error)
                            return
                        }
                    }
                }
                decoded.result.withLock { $0 = out }
                decoded.done.signal()
            }
            return decoded
        }
    }

    /// A batch's operations, and the first line that does not decode, once `done` is signalled.
    private final class Decoded: Sendable {
        struct Result: Sendable {
            var ops: [Op] = []
            /// Each operation's line, by its index in the batch.
            var lines: [Int32] = []
            /// The first line that does not decode (its index in the batch) and why; after every operation.
            var failure: (line: Int, error: ScanFailure)?
        }

        let result = Mutex(Result())
        let done = DispatchSemaphore(value: 0)
    }
}
