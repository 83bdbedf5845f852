#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a history to a file as JSON Lines, one operation per line, through a buffer.
///
/// The writer numbers the lines itself: the `index` written is the operation's position in
/// the file (counting from `startIndex`), whatever `index` the operation carries, so the file
/// is always dense. `flush()` hands the buffer to the kernel; `sync()` also waits for the disk,
/// so a crash of the machine loses nothing written before it. Not thread-safe: one writer per
/// recorder task.
public final class HistoryWriter {
    /// The file being written.
    public let path: String
    /// How many operations have been appended.
    public private(set) var count: Int = 0
    /// The buffer is flushed when it reaches this size.
    public let bufferSizeBytes: Int
    private let startIndex: Int
    private var buffer: [UInt8] = []
    private var fd: Int32

    /// Creates (or truncates) the file at `path`.
    public init(path: String, startIndex: Int = 0, bufferSizeBytes: Int = 64 << 10) throws(HistoryError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw HistoryError(file: path, line: 0, column: 0, message: "cannot create: \(ByteSource.errnoText())")
        }
        self.path = path
        self.fd = fd
        self.startIndex = startIndex
        self.bufferSizeBytes = max(bufferSizeBytes, 1)
        buffer.reserveCapacity(self.bufferSizeBytes + 512)
    }

    deinit {
        if fd >= 0 {
            try? flush()
            _ = closeDescriptor(fd)
        }
    }

    /// Appends `op` as the next line, numbered by its position.
    public func append(_ op: Op) throws(HistoryError) {
        guard fd >= 0 else { throw closedError() }
        var numbered = op
        numbered.index = startIndex + count
        buffer.append(contentsOf: numbered.jsonLine.utf8)
        buffer.append(0x0A)
        count += 1
        if buffer.count >= bufferSizeBytes { try flush() }
    }

    /// Writes the buffered lines to the file.
    public func flush() throws(HistoryError) {
        guard fd >= 0 else { throw closedError() }
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { raw in
                write(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let message = "write failed: \(ByteSource.errnoText())"
                buffer.removeFirst(written)
                throw HistoryError(file: path, line: 0, column: 0, message: message)
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, then waits until the file's data is on disk (`fsync`).
    public func sync() throws(HistoryError) {
        try flush()
        if fsync(fd) != 0 {
            throw HistoryError(file: path, line: 0, column: 0, message: "fsync failed: \(ByteSource.errnoText())")
        }
    }

    /// Flushes and closes the file; later calls do nothing.
    public func close() throws(HistoryError) {
        guard fd >= 0 else { return }
        defer {
            _ = closeDescriptor(fd)
            fd = -1
        }
        try flush()
    }

    private func closedError() -> HistoryError {
        HistoryError(file: path, line: 0, column: 0, message: "the history writer is closed")
    }
}

/// Closes a file descriptor (the C `close`, which `HistoryWriter.close()` hides inside the class).
private func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}
