import Foundation

/// A zip archive written as it goes: stored entries (no compression) with data descriptors, so
/// that a folder streams to a client with one file's chunk in memory at a time.
///
/// Zip without Zip64: an entry of 4 GiB or more, or one that would take the archive past 4 GiB,
/// is left out and named in `NOT-INCLUDED.txt` at the end. At most ``maxEntries`` entries.
struct ZipStream {
    /// Most entries in one archive.
    static let maxEntries = 20_000
    /// Bytes read from a file at a time.
    static let chunk = 256 * 1024

    private struct Central {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt32
        var offset: UInt32
        var dosTime: UInt16
        var dosDate: UInt16
    }

    private var central: [Central] = []
    private var offset: UInt64 = 0
    private var left: [String] = []
    private let sink: (Data) async throws -> Void

    /// A stream that hands each piece of the archive to `sink`, in order.
    init(sink: @escaping (Data) async throws -> Void) {
        self.sink = sink
    }

    /// Adds the file at `path` as `name` (a relative path with `/`), streaming at most `size` bytes.
    mutating func add(file path: String, name: String, size: UInt64, modified: Date) async throws {
        guard central.count < Self.maxEntries - 1, size < UInt64(UInt32.max),
            offset + size + UInt64(name.utf8.count) + 200 < UInt64(UInt32.max) - 1_000_000
        else {
            left.append(name)
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            left.append(name + " (cannot be read)")
            return
        }
        defer { try? handle.close() }
        let nameBytes = Array(name.utf8)
        let (time, date) = Self.dos(modified)
        let start = UInt32(offset)
        var header = Data()
        header.le32(0x0403_4b50)
        header.le16(20)  // version needed
        header.le16(0x0808)  // data descriptor follows; UTF-8 names
        header.le16(0)  // stored
        header.le16(time)
        header.le16(date)
        header.le32(0)
        header.le32(0)
        header.le32(0)
        header.le16(UInt16(nameBytes.count))
        header.le16(0)
        header.append(contentsOf: nameBytes)
        try await emit(header)
        var crc = CRC32()
        var written: UInt64 = 0
        while written < size {
            let want = Int(min(UInt64(Self.chunk), size - written))
            guard let data = try handle.read(upToCount: want), !data.isEmpty else { break }
            crc.update(data)
            written += UInt64(data.count)
            try await emit(data)
        }
        var descriptor = Data()
        descriptor.le32(0x0807_4b50)
        descriptor.le32(crc.value)
        descriptor.le32(UInt32(written))
        descriptor.le32(UInt32(written))
        try await emit(descriptor)
        central.append(Central(name: nameBytes, crc: crc.value, size: UInt32(written), offset: start, dosTime: time, dosDate: date))
    }

    /// Writes `NOT-INCLUDED.txt` if anything was left out, then the central directory.
    mutating func finish() async throws {
        if !left.isEmpty {
            let text = Data(("Left out of this zip (4 GiB or more, too many files, or unreadable); download them one by one:\n"
                + left.joined(separator: "\n") + "\n").utf8)
            let nameBytes = Array("NOT-INCLUDED.txt".utf8)
            let (time, date) = Self.dos(Date())
            var crc = CRC32()
            crc.update(text)
            let start = UInt32(clamping: offset)
            var header = Data()
            header.le32(0x0403_4b50)
            header.le16(20)
            header.le16(0x0800)
            header.le16(0)
            header.le16(time)
            header.le16(date)
            header.le32(crc.value)
            header.le32(UInt32(text.count))
            header.le32(UInt32(text.count))
            header.le16(UInt16(nameBytes.count))
            header.le16(0)
            header.append(contentsOf: nameBytes)
            try await emit(header + text)
            central.append(Central(name: nameBytes, crc: crc.value, size: UInt32(text.count), offset: start, dosTime: time, dosDate: date))
        }
        let dirStart = UInt32(clamping: offset)
        var dir = Data()
        for e in central {
            dir.le32(0x0201_4b50)
            dir.le16(0x031E)  // made by: Unix, 3.0
            dir.le16(20)
            dir.le16(0x0808)
            dir.le16(0)
            dir.le16(e.dosTime)
            dir.le16(e.dosDate)
            dir.le32(e.crc)
            dir.le32(e.size)
            dir.le32(e.size)
            dir.le16(UInt16(e.name.count))
            dir.le16(0)
            dir.le16(0)
            dir.le16(0)
            dir.le16(0)
            dir.le32(0o100644 << 16)  // a regular file, rw-r--r--
            dir.le32(e.offset)
            dir.append(contentsOf: e.name)
        }
        var end = Data()
        end.le32(0x0605_4b50)
        end.le16(0)
        end.le16(0)
        end.le16(UInt16(central.count))
        end.le16(UInt16(central.count))
        end.le32(UInt32(dir.count))
        end.le32(dirStart)
        end.le16(0)
        try await emit(dir + end)
    }

    private mutating func emit(_ data: Data) async throws {
        offset += UInt64(data.count)
        try await sink(data)
    }

    /// MS-DOS time and date of `date` (UTC), as zip headers hold them.
    static func dos(_ date: Date) -> (time: UInt16, date: UInt16) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC") ?? cal.timeZone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = max(1980, min(2107, c.year ?? 1980))
        let t = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        let d = UInt16((year - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
        return (t, d)
    }
}

/// The CRC-32 of zip (IEEE 802.3, reflected), computed as data arrives.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
    private var state: UInt32 = 0xFFFF_FFFF

    /// Adds `data` to the sum.
    mutating func update(_ data: Data) {
        var c = state
        let table = Self.table
        data.withUnsafeBytes { buf in
            for byte in buf { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        }
        state = c
    }

    /// The sum of everything added so far.
    var value: UInt32 { state ^ 0xFFFF_FFFF }
}

extension Data {
    fileprivate mutating func le16(_ v: UInt16) {
        append(UInt8(v & 0xFF))
        append(UInt8(v >> 8))
    }

    fileprivate mutating func le32(_ v: UInt32) {
        le16(UInt16(v & 0xFFFF))
        le16(UInt16(v >> 16))
    }
}
