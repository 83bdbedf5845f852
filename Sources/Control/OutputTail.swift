/// A byte buffer that keeps at most `limit` bytes: once full, the oldest bytes are dropped.
///
/// Output of remote commands is kept this way because the end of a log or an error
/// message is what explains a failure.
public struct OutputTail: Sendable {
    /// The most bytes kept.
    public let limit: Int
    /// Bytes dropped from the front so far.
    public private(set) var droppedBytes: Int = 0
    private var storage: [UInt8] = []

    /// Creates an empty buffer that keeps at most `limit` bytes.
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Appends bytes, dropping the oldest ones beyond the limit.
    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        storage.append(contentsOf: bytes)
        // Compact only when twice the limit, so appends stay amortised O(1).
        if storage.count > limit * 2 {
            compact()
        }
    }

    private mutating func compact() {
        let excess = storage.count - limit
        if excess > 0 {
            storage.removeFirst(excess)
            droppedBytes += excess
        }
    }

    /// The kept bytes (the last `limit` bytes written).
    public var bytes: [UInt8] {
        mutating get {
            compact()
            return storage
        }
    }
}

/// The last lines of some text, for error messages.
public func tailLines(_ text: String, maxLines: Int = 12, maxBytes: Int = 2000) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    var out = lines.suffix(maxLines).joined(separator: "\n")
    if out.utf8.count > maxBytes {
        out = "…" + String(decoding: out.utf8.suffix(maxBytes), as: UTF8.self)
    }
    return out
}
