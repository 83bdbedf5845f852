#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A window of bytes over a file or an in-memory input, refilled in chunks.
///
/// The window remembers the line and column of its first byte, so that a place in it can be
/// turned into a line and column without keeping the bytes already consumed. What a reader
/// must keep at once (a line, or one operation) is bounded by `maxLineBytes`, so a file
/// without newlines (`/dev/zero`) is an error, not an allocation without end.
final class ByteSource {
    /// The name used in messages (the path, or the caller's `source`).
    let name: String
    /// The bytes of the window; `bytes[0..<count]` are valid.
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    /// How many bytes of `bytes` are valid.
    private(set) var count: Int
    /// Whether everything has been read.
    private(set) var atEOF: Bool
    /// The 1-based line number of `bytes[0]`.
    private(set) var firstLine: Int = 1
    /// The 1-based column of `bytes[0]`: 1 unless the window was cut inside a line.
    private(set) var firstColumn: Int = 1
    /// After `forEachLine`: the number of the input's last line if it does not end with `\n`.
    private(set) var unterminatedLastLine: Int?
    /// What the readers found worth saying but not worth refusing the history for (at most `maxWarnings`).
    private(set) var warnings: [HistoryWarning] = []
    /// How many warnings were left out of `warnings`.
    private(set) var warningsLeftOut = 0
    /// The most warnings kept; the rest are counted.
    static let maxWarnings = 100
    /// The most a reader may need to keep at once: one line, or one EDN or JSON operation.
    let maxLineBytes: Int
    private var capacity: Int
    private var fd: Int32
    private let chunkSize: Int

    /// The default bound on one line or operation: 64 MB.
    static let defaultMaxLineBytes = 64 << 20
    /// How long a FIFO may stay silent, with no writer, before it is refused.
    static let defaultPipeWaitSeconds = 10.0

    /// Opens `path` for reading in chunks of `chunkSize` bytes.
    ///
    /// A folder is refused. A FIFO (or another pipe) is read as a stream once something writes
    /// to it or a writer closes it; if neither happens within `pipeWaitSeconds` it is refused,
    /// so that a FIFO with no writer never blocks the reader forever.
    init(
        path: String, chunkSize: Int = 4 << 20, maxLineBytes: Int = ByteSource.defaultMaxLineBytes,
        pipeWaitSeconds: Double = ByteSource.defaultPipeWaitSeconds
    ) throws(HistoryError) {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, unbounded.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            throw HistoryError(file: path, line: 0, column: 0, message: "cannot open: \(ByteSource.errnoText())")
        }
        do throws(HistoryError) {
            try ByteSource.prepare(fd, path: path, pipeWaitSeconds: pipeWaitSeconds)
        } catch {
            _ = close(fd)
            throw error
        }
        self.name = path
        self.fd = fd
        self.chunkSize = max(chunkSize, 64)
        self.maxLineBytes = max(maxLineBytes, 64)
        self.capacity = self.chunkSize
        self.bytes = .allocate(capacity: capacity)
        self.count = 0
        self.atEOF = false
    }

    /// Wraps bytes already in memory.
    init(bytes input: some Collection<UInt8>, name: String) {
        self.name = name
        self.fd = -1
        self.chunkSize = 0
        self.maxLineBytes = Int.max
        self.capacity = max(input.count, 1)
        self.bytes = .allocate(capacity: capacity)
        var n = 0
        for b in input {
            bytes[n] = b
            n += 1
        }
        self.count = n
        self.atEOF = true
    }

    deinit {
        bytes.deallocate()
        if fd >= 0 { _ = close(fd) }
    }

    /// Whether `path` is a regular file, following links.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// Refuses a folder, waits (bounded) for a pipe to have data or a writer that came and went,
    /// then makes reads blocking again.
    private static func prepare(_ fd: Int32, path: String, pipeWaitSeconds: Double) throws(HistoryError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw HistoryError(file: path, line: 0, column: 0, message: "cannot read: \(errnoText())")
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            throw HistoryError(file: path, line: 0, column: 0, message: "is a folder, not a history file")
        }
        if kind == S_IFIFO || kind == S_IFSOCK {
            try waitForData(fd, path: path, seconds: pipeWaitSeconds)
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    }

    /// Waits until the pipe `fd` has data or its writer has closed it, at most `seconds`.
    private static func waitForData(_ fd: Int32, path: String, seconds: Double) throws(HistoryError) {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(max(seconds, 0) * 1000))
        while true {
            var polled = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = clock.now.duration(to: deadline)
            let leftMs = max(0, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            let n = poll(&polled, 1, leftMs)
            if n > 0 { return }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw HistoryError(file: path, line: 0, column: 0, message: "cannot wait for the pipe: \(errnoText())") }
            if leftMs == 0 {
                throw HistoryError(
                    file: path, line: 0, column: 0,
                    message: "is a FIFO (named pipe) that nothing wrote to within \(formatSeconds(seconds)); write the history into it while schism reads, or check a regular file")
            }
        }
    }

    /// `10 s` or `0.2 s`.
    private static func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }

    /// Records a warning about `line` (0: the whole input).
    func warn(line: Int, _ message: String) {
        if warnings.count < ByteSource.maxWarnings {
            warnings.append(HistoryWarning(file: name, line: line, message: message))
        } else {
            warningsLeftOut += 1
        }
    }

    /// The warnings, followed by one that counts those left out, if any.
    var allWarnings: [HistoryWarning] {
        guard warningsLeftOut > 0 else { return warnings }
        return warnings + [HistoryWarning(file: name, line: 0, message: "\(warningsLeftOut) more warnings not shown")]
    }

    /// The valid bytes of the window.
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: count) }

    /// Reads the next chunk, first discarding the bytes before `keepFrom`.
    ///
    /// Returns how many bytes were discarded from the front: every offset into the window
    /// at or after `keepFrom` moves down by that much. Throws when what must be kept from
    /// `keepFrom` on is longer than `maxLineBytes` and still growing (unless not `bounded`).
    ///
    /// `lineAtKeep`, when the caller knows that `keepFrom` starts that line, spares counting the
    /// lines discarded.
    @discardableResult
    func readMore(keepingFrom keepFrom: Int, lineAtKeep: Int? = nil, bounded: Bool = true) throws(HistoryError) -> Int {
        if atEOF { return 0 }
        let cut = min(max(keepFrom, 0), count)
        if cut > 0 {
            if let lineAtKeep {
                firstLine = lineAtKeep
                firstColumn = 1
            } else {
                advancePosition(over: cut)
            }
            memmove(bytes, bytes + cut, count - cut)
            count -= cut
        }
        if bounded && count > maxLineBytes {
            // Point at the start of the line or operation, after the blanks before it.
            var k = 0
            while k < count, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0A || bytes[k] == 0x0D || bytes[k] == UInt8(ascii: ",") { k += 1 }
            let (line, column) = position(of: k)
            let size = ByteSource.sizeText(maxLineBytes)
            throw HistoryError(
                file: name, line: line, column: column,
                message: "the line (or operation) that starts here is longer than \(size); a history line or operation may be at most \(size) (is this a history file?)")
        }
        if capacity - count < chunkSize / 2 {
            let newCapacity = max(capacity * 2, count + chunkSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = grown
            capacity = newCapacity
        }
        while true {
            let n = read(fd, bytes + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw HistoryError(file: name, line: 0, column: 0, message: "read failed: \(ByteSource.errnoText())")
            }
            if n == 0 { atEOF = true }
            count += n
            return cut
        }
    }

    /// Moves `firstLine` and `firstColumn` past the first `length` bytes of the window.
    private func advancePosition(over length: Int) {
        var lastNewline = -1
        var k = 0
        while k < length, let found = memchr(bytes + k, 0x0A, length - k) {
            firstLine += 1
            lastNewline = UnsafeMutablePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes
            k = lastNewline + 1
        }
        let lineStart = lastNewline + 1
        let base = lastNewline < 0 ? firstColumn : 1
        firstColumn = base + ByteSource.column(bytes + lineStart, length: length - lineStart) - 1
    }

    /// `64 MB` for whole megabytes, else the byte count.
    static func sizeText(_ n: Int) -> String {
        n % (1 << 20) == 0 ? "\(n >> 20) MB" : "\(n) bytes"
    }

    /// Calls `body` with each line's bytes and length (without its `\n` or a trailing `\r`) and its 1-based number.
    ///
    /// Sets `unterminatedLastLine` when the last line has no `\n`.
    func forEachLine(_ body: (UnsafePointer<UInt8>, Int, Int) throws -> Void) throws {
        var start = 0
        var searched = 0
        var lineNumber = firstLine
        unterminatedLastLine = nil
        while true {
            let from = max(start, searched)
            let remaining = count - from
            if remaining > 0, let found = memchr(bytes + from, 0x0A, remaining) {
                let end = UnsafeMutablePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes
                var stop = end
                if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
                try body(bytes + start, stop - start, lineNumber)
                lineNumber += 1
                start = end + 1
            } else if atEOF {
                if count - start > 0 {
                    var stop = count
                    if bytes[stop - 1] == 0x0D { stop -= 1 }
                    unterminatedLastLine = lineNumber
                    try body(bytes + start, stop - start, lineNumber)
                }
                return
            } else {
                // The line from `start` is incomplete: keep it, and do not search its bytes again.
                let kept = count - start
                start -= try readMore(keepingFrom: start, lineAtKeep: lineNumber)
                searched = start + kept
            }
        }
    }

    /// How many `\n` bytes the first `count` bytes at `p` hold.
    static func newlines(in p: UnsafePointer<UInt8>, count: Int) -> Int {
        var n = 0
        var k = 0
        while k < count, let found = memchr(p + k, 0x0A, count - k) {
            n += 1
            k = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - p + 1
        }
        return n
    }

    /// Reads until the window holds at least `minimum` bytes or the input ends.
    func fill(atLeast minimum: Int) throws(HistoryError) {
        while count < minimum && !atEOF { try readMore(keepingFrom: 0, bounded: false) }
    }

    /// The 1-based line and column (in Unicode scalars) of the byte at `offset` in the window.
    func position(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), count)
        var line = firstLine
        var lineStart = 0
        var k = 0
        while k < end, let found = memchr(bytes + k, 0x0A, end - k) {
            line += 1
            lineStart = UnsafeMutablePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes + 1
            k = lineStart
        }
        let base = lineStart == 0 ? firstColumn : 1
        return (line, base + ByteSource.column(bytes + lineStart, length: end - lineStart) - 1)
    }

    /// Whether a line holds only spaces and tabs (or nothing).
    static func isBlank(_ line: UnsafePointer<UInt8>, length: Int) -> Bool {
        var k = 0
        while k < length && (line[k] == 0x20 || line[k] == 0x09) { k += 1 }
        return k == length
    }

    /// The 1-based column after `length` bytes of a line: counts UTF-8 lead bytes, not continuation bytes.
    static func column(_ lineStart: UnsafePointer<UInt8>, length: Int) -> Int {
        var column = 1
        for k in 0..<max(length, 0) where lineStart[k] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// The text of `errno`.
    static func errnoText() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text)
    }
}
