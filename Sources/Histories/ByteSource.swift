#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A window of bytes over a file or an in-memory input, refilled in chunks.
///
/// The window always starts at the beginning of a line, so that a place in it can be turned
/// into a line and column without keeping the bytes already consumed.
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
    private var capacity: Int
    private var fd: Int32
    private let chunkSize: Int

    /// Opens `path` for reading in chunks of `chunkSize` bytes.
    init(path: String, chunkSize: Int = 4 << 20) throws(HistoryError) {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw HistoryError(file: path, line: 0, column: 0, message: "cannot open: \(ByteSource.errnoText())")
        }
        self.name = path
        self.fd = fd
        self.chunkSize = max(chunkSize, 64)
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

    /// The valid bytes of the window.
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: bytes, count: count) }

    /// Reads the next chunk, first discarding the lines that end before `keepFrom`.
    ///
    /// Returns how many bytes were discarded from the front: every offset into the window
    /// at or after `keepFrom` moves down by that much.
    @discardableResult
    func readMore(keepingFrom keepFrom: Int, countsLines: Bool = true) throws(HistoryError) -> Int {
        if atEOF { return 0 }
        // Keep the whole line that contains `keepFrom`.
        var cut = min(keepFrom, count)
        while cut > 0 && bytes[cut - 1] != UInt8(ascii: "\n") { cut -= 1 }
        if cut > 0 {
            if countsLines { firstLine += ByteSource.newlines(in: bytes, count: cut) }
            memmove(bytes, bytes + cut, count - cut)
            count -= cut
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

    /// Calls `body` with each line's bytes and length (without its `\n` or a trailing `\r`) and its 1-based number.
    func forEachLine(_ body: (UnsafePointer<UInt8>, Int, Int) throws -> Void) throws {
        var start = 0
        var lineNumber = firstLine
        while true {
            let remaining = count - start
            if remaining > 0, let found = memchr(bytes + start, 0x0A, remaining) {
                let end = UnsafeMutablePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes
                var stop = end
                if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
                try body(bytes + start, stop - start, lineNumber)
                lineNumber += 1
                start = end + 1
            } else if atEOF {
                if remaining > 0 {
                    var stop = count
                    if bytes[stop - 1] == 0x0D { stop -= 1 }
                    try body(bytes + start, stop - start, lineNumber)
                }
                return
            } else {
                start -= try readMore(keepingFrom: start, countsLines: false)
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
        while count < minimum && !atEOF { try readMore(keepingFrom: 0) }
    }

    /// The 1-based line and column (in Unicode scalars) of the byte at `offset` in the window.
    func position(of offset: Int) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), count)
        var line = firstLine
        var lineStart = 0
        for k in 0..<end where bytes[k] == UInt8(ascii: "\n") {
            line += 1
            lineStart = k + 1
        }
        return (line, ByteSource.column(bytes + lineStart, length: end - lineStart))
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
