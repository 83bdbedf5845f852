import Basics

/// A history's operations stored column by column in fixed-size chunks: about 35 bytes an
/// operation instead of an `Op`'s 150 and more, and no reallocation of the whole as it grows.
///
/// Reading an element gives back the `Op` that was appended, with `index` set to its position.
/// Function names, keys, nodes and named processes are interned; a value is kept inline when
/// it is null, a boolean, a number, a string of at most 8 bytes or a pair of 32-bit integers
/// (a cas), its bytes go to a string arena when it is a longer string, and anything else sits
/// in a side table, as do errors and unknown fields (which are rare).
public struct OpLog: RandomAccessCollection, MutableCollection, Sendable, ExpressibleByArrayLiteral, Equatable {
    /// Operations a chunk holds: a power of two, so that a position splits with a shift.
    @usableFromInline static let chunkShift = 16
    @usableFromInline static let chunkSize = 1 << chunkShift

    @usableFromInline var chunks: [Chunk] = []
    private var count_ = 0
    private var functions = Interner()
    private var keys = Interner()
    private var nodes = Interner()
    private var processNames = Interner()
    private var text = StringArena()
    /// Values with no inline form, indexed by their payload.
    private var others: [JSONValue] = []
    /// Errors and unknown fields, by position.
    private var rare: [Int: Rare] = [:]

    /// Bits of `Chunk.kinds`: the type (2 bits), the value's tag (4 bits), time present, rare fields present.
    private enum Bits {
        static let typeMask: UInt8 = 0b11
        static let tagShift: UInt8 = 2
        static let tagMask: UInt8 = 0b1111
        static let hasTime: UInt8 = 1 << 6
        static let hasRare: UInt8 = 1 << 7
    }

    /// How a value is stored: the tag in `kinds`, the payload in `payloads`.
    private enum Tag: UInt8 {
        case null, isFalse, isTrue, int, double, arenaString, intPair, other, shortString
    }

    /// One chunk's columns; full chunks hold exactly `chunkSize` operations.
    @usableFromInline struct Chunk: Sendable {
        @usableFromInline var times: [Int64] = []
        /// Client number, or -(name id + 1) for a named process.
        @usableFromInline var processes: [Int32] = []
        @usableFromInline var kinds: [UInt8] = []
        @usableFromInline var functions: [Int32] = []
        /// Interned key id, or -1 for none; the same for nodes.
        @usableFromInline var keys: [Int32] = []
        @usableFromInline var nodes: [Int32] = []
        @usableFromInline var payloads: [UInt64] = []
    }

    private struct Rare: Sendable {
        var error: String?
        var extra: [String: JSONValue]
    }

    public init() {}

    /// The operations of an array, in order.
    public init(_ ops: some Sequence<Op>) {
        append(contentsOf: ops)
    }

    public init(arrayLiteral elements: Op...) {
        self.init(elements)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count_ }
    public var count: Int { count_ }

    /// Adds `op` at the end; its `index` is taken to be its position.
    public mutating func append(_ op: Op) {
        if count_ & (Self.chunkSize - 1) == 0 { chunks.append(Chunk()) }
        let c = chunks.count - 1
        let (kind, payload) = encode(op)
        chunks[c].times.append(op.time ?? 0)
        chunks[c].processes.append(processCode(op.process))
        chunks[c].kinds.append(kind)
        chunks[c].functions.append(functions.id(op.f))
        chunks[c].keys.append(op.key.map { keys.id($0) } ?? -1)
        chunks[c].nodes.append(op.node.map { nodes.id($0) } ?? -1)
        chunks[c].payloads.append(payload)
        if kind & Bits.hasRare != 0 { rare[count_] = Rare(error: op.error, extra: op.extra) }
        count_ += 1
    }

    public mutating func append(contentsOf ops: some Sequence<Op>) {
        for op in ops { append(op) }
    }

    public subscript(position: Int) -> Op {
        get {
            precondition(position >= 0 && position < count_, "OpLog index \(position) out of range 0..<\(count_)")
            let c = position >> Self.chunkShift, j = position & (Self.chunkSize - 1)
            let kind = chunks[c].kinds[j]
            let extra = kind & Bits.hasRare != 0 ? rare[position] : nil
            let node = chunks[c].nodes[j]
            return Op(
                index: position, time: kind & Bits.hasTime != 0 ? chunks[c].times[j] : nil,
                process: process(chunks[c].processes[j]), type: Self.type(kind),
                f: functions.strings[Int(chunks[c].functions[j])], key: keyName(chunks[c].keys[j]),
                value: decodeValue(kind, chunks[c].payloads[j]), error: extra?.error,
                node: node < 0 ? nil : nodes.strings[Int(node)], extra: extra?.extra ?? [:])
        }
        set {
            precondition(position >= 0 && position < count_, "OpLog index \(position) out of range 0..<\(count_)")
            let c = position >> Self.chunkShift, j = position & (Self.chunkSize - 1)
            let (kind, payload) = encode(newValue)
            chunks[c].times[j] = newValue.time ?? 0
            chunks[c].processes[j] = processCode(newValue.process)
            chunks[c].kinds[j] = kind
            chunks[c].functions[j] = functions.id(newValue.f)
            chunks[c].keys[j] = newValue.key.map { keys.id($0) } ?? -1
            chunks[c].nodes[j] = newValue.node.map { nodes.id($0) } ?? -1
            chunks[c].payloads[j] = payload
            rare[position] = kind & Bits.hasRare != 0 ? Rare(error: newValue.error, extra: newValue.extra) : nil
        }
    }

    public static func == (a: OpLog, b: OpLog) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }

    /// Whether the log holds exactly the operations of the array, in order.
    public static func == (a: OpLog, b: [Op]) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }

    public static func == (a: [Op], b: OpLog) -> Bool { b == a }

    // MARK: - Columns read without building an `Op` (the checker's hot paths)

    /// The client process number of the operation at `i`, or nil for a named process.
    @inlinable
    public func clientProcess(_ i: Int) -> Int? {
        let p = chunks[i >> Self.chunkShift].processes[i & (Self.chunkSize - 1)]
        return p >= 0 ? Int(p) : unusualClient(p)
    }

    /// The client number of a process stored by name: a negative or very large number; nil for
    /// a named process.
    @usableFromInline
    func unusualClient(_ code: Int32) -> Int? {
        if case .client(let n) = process(code) { return n }
        return nil
    }

    /// The process of the operation at `i`.
    @inline(__always)
    public func process(at i: Int) -> ProcessID {
        process(chunks[i >> Self.chunkShift].processes[i & (Self.chunkSize - 1)])
    }

    /// The distinct functions of the operations not by the nemesis.
    public var clientFunctions: Set<String> {
        var seen = [Bool](repeating: false, count: functions.strings.count)
        for i in indices where !seen[Int(functionID(i))] && process(at: i) != .nemesis { seen[Int(functionID(i))] = true }
        return Set(functions.strings.indices.filter { seen[$0] }.map { functions.strings[$0] })
    }

    /// The type of the operation at `i`.
    @inlinable
    public func type(_ i: Int) -> OpType {
        Self.type(chunks[i >> Self.chunkShift].kinds[i & (Self.chunkSize - 1)])
    }

    /// The interned function of the operation at `i`: equal ids are equal names.
    @inlinable
    public func functionID(_ i: Int) -> Int32 {
        chunks[i >> Self.chunkShift].functions[i & (Self.chunkSize - 1)]
    }

    /// The name of an interned function.
    public func functionName(_ id: Int32) -> String { functions.strings[Int(id)] }

    /// The interned key of the operation at `i`, -1 for none: equal ids are equal keys.
    @inlinable
    public func keyID(_ i: Int) -> Int32 {
        chunks[i >> Self.chunkShift].keys[i & (Self.chunkSize - 1)]
    }

    /// The key an id stands for (nil for -1).
    public func keyName(_ id: Int32) -> String? { id < 0 ? nil : keys.strings[Int(id)] }

    /// How many distinct keys there are (ids are 0..<keyCount).
    public var keyCount: Int { keys.strings.count }

    /// The distinct functions, in order of first appearance.
    public var functionNames: [String] { functions.strings }

    /// One operation's stored function, key and value, read in one go.
    ///
    /// Gathering the fields of many scattered operations in a tight loop lets their cache misses
    /// overlap, which reading them one by one between other work does not: the calls of one key
    /// lie spread over the whole log.
    public struct Fields: Sendable {
        @usableFromInline let kind: UInt8
        /// The interned function (see ``functionName(_:)``).
        public let functionID: Int32
        /// The interned key, -1 for none (see ``keyName(_:)``).
        public let keyID: Int32
        @usableFromInline let payload: UInt64

        @usableFromInline init(kind: UInt8, functionID: Int32, keyID: Int32, payload: UInt64) {
            self.kind = kind
            self.functionID = functionID
            self.keyID = keyID
            self.payload = payload
        }
    }

    /// The function, key and value of the operation at `i`, as stored.
    @inlinable
    public func fields(_ i: Int) -> Fields {
        let c = i >> Self.chunkShift, j = i & (Self.chunkSize - 1)
        return Fields(kind: chunks[c].kinds[j], functionID: chunks[c].functions[j], keyID: chunks[c].keys[j], payload: chunks[c].payloads[j])
    }

    /// The value stored in `fields`.
    public func value(_ fields: Fields) -> JSONValue { decodeValue(fields.kind, fields.payload) }

    /// The value of the operation at `i`.
    public func value(_ i: Int) -> JSONValue {
        let chunk = i >> Self.chunkShift, j = i & (Self.chunkSize - 1)
        return decodeValue(chunks[chunk].kinds[j], chunks[chunk].payloads[j])
    }

    /// Replaces the value of the operation at `i`, leaving its other fields.
    public mutating func setValue(_ value: JSONValue, at i: Int) {
        var op = self[i]
        op.value = value
        self[i] = op
    }

    /// Bytes held, roughly: columns, tables and values (for memory budgets and benchmarks).
    public var heldBytes: Int {
        let perOp = 8 + 4 + 1 + 4 + 4 + 4 + 8
        return chunks.count * Self.chunkSize * perOp + text.heldBytes + others.count * 64 + rare.count * 96
            + functions.heldBytes + keys.heldBytes + nodes.heldBytes + processNames.heldBytes
    }

    // MARK: - Encoding

    private mutating func processCode(_ p: ProcessID) -> Int32 {
        switch p {
        case .client(let n) where n >= 0 && n <= Int(Int32.max): return Int32(n)
        case .client(let n): return -(processNames.id("\u{0}\(n)") + 1)
        case .named(let name): return -(processNames.id(name) + 1)
        }
    }

    private func process(_ code: Int32) -> ProcessID {
        if code >= 0 { return .client(Int(code)) }
        let name = processNames.strings[Int(-code - 1)]
        // A client number outside 0...Int32.max, kept as text with a NUL mark.
        if name.utf8.first == 0, let n = Int(name.dropFirst()) { return .client(n) }
        return .named(name)
    }

    @usableFromInline
    static func type(_ kind: UInt8) -> OpType {
        switch kind & Bits.typeMask {
        case 0: return .invoke
        case 1: return .ok
        case 2: return .fail
        default: return .info
        }
    }

    private static func typeBits(_ t: OpType) -> UInt8 {
        switch t {
        case .invoke: return 0
        case .ok: return 1
        case .fail: return 2
        case .info: return 3
        }
    }

    private mutating func encode(_ op: Op) -> (kind: UInt8, payload: UInt64) {
        let (tag, payload) = encodeValue(op.value)
        var kind = Self.typeBits(op.type) | (tag.rawValue << Bits.tagShift)
        if op.time != nil { kind |= Bits.hasTime }
        if op.error != nil || !op.extra.isEmpty { kind |= Bits.hasRare }
        return (kind, payload)
    }

    private mutating func encodeValue(_ v: JSONValue) -> (Tag, UInt64) {
        switch v {
        case .null: return (.null, 0)
        case .bool(let b): return (b ? .isTrue : .isFalse, 0)
        case .int(let i): return (.int, UInt64(bitPattern: i))
        case .double(let d): return (.double, d.bitPattern)
        case .string(let s):
            if let packed = Self.pack(s) { return (.shortString, packed) }
            if let ref = text.store(s) { return (.arenaString, ref) }
        case .array(let a):
            if a.count == 2, case .int(let x) = a[0], case .int(let y) = a[1],
               let x32 = Int32(exactly: x), let y32 = Int32(exactly: y) {
                return (.intPair, UInt64(UInt32(bitPattern: x32)) << 32 | UInt64(UInt32(bitPattern: y32)))
            }
        case .object: break
        }
        others.append(v)
        return (.other, UInt64(others.count - 1))
    }

    private func decodeValue(_ kind: UInt8, _ payload: UInt64) -> JSONValue {
        switch Tag(rawValue: (kind >> Bits.tagShift) & Bits.tagMask) ?? .other {
        case .null: return .null
        case .isFalse: return .bool(false)
        case .isTrue: return .bool(true)
        case .int: return .int(Int64(bitPattern: payload))
        case .double: return .double(Double(bitPattern: payload))
        case .shortString: return .string(Self.unpack(payload))
        case .arenaString: return .string(text.string(payload))
        case .intPair:
            return .array([.int(Int64(Int32(bitPattern: UInt32(payload >> 32)))), .int(Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: payload))))])
        case .other: return others[Int(payload)]
        }
    }

    /// A string of at most 8 bytes without a NUL, packed little-endian into a word (its length
    /// is where the bytes end); nil otherwise.
    private static func pack(_ s: String) -> UInt64? {
        var word: UInt64 = 0
        var n: UInt64 = 0
        for b in s.utf8 {
            if n == 8 || b == 0 { return nil }
            word |= UInt64(b) << (8 * n)
            n += 1
        }
        return word
    }

    private static func unpack(_ word: UInt64) -> String {
        let length = (64 - word.leadingZeroBitCount + 7) / 8
        return withUnsafeBytes(of: word.littleEndian) { raw in
            String(decoding: raw.prefix(length), as: UTF8.self)
        }
    }
}

/// Strings given ids in order of first appearance; equal strings get equal ids.
struct Interner: Sendable {
    private(set) var strings: [String] = []
    /// Open addressing over the strings' byte hashes: id + 1 per slot, 0 for an empty one.
    /// Swift's `String` hashing (Unicode-normalising, seeded) costs several times more, and a
    /// history's reader interns two strings an operation.
    private var slots: [Int32] = []
    private var hashes: [UInt64] = []

    /// The id of `s`, adding it if new. A handful of strings (functions, nodes) are found by a
    /// scan, which beats hashing them.
    mutating func id(_ s: String) -> Int32 {
        if strings.count <= 8 {
            for (i, t) in strings.enumerated() where Self.sameBytes(t, s) { return Int32(i) }
            return add(s, hash: Self.hash(s))
        }
        let h = Self.hash(s)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let id = Int(slots[i] - 1)
            if hashes[id] == h && Self.sameBytes(strings[id], s) { return Int32(id) }
            i = (i + 1) & mask
        }
        return add(s, hash: h)
    }

    private mutating func add(_ s: String, hash h: UInt64) -> Int32 {
        let id = Int32(strings.count)
        strings.append(s)
        hashes.append(h)
        if slots.count < 2 * strings.count {
            // A power of two (the mask), at least twice the strings.
            slots = [Int32](repeating: 0, count: max(64, 1 << (Int.bitWidth - (4 * strings.count).leadingZeroBitCount)))
            for (k, hash) in hashes.enumerated() { place(Int32(k), hash) }
        } else {
            place(id, h)
        }
        return id
    }

    private mutating func place(_ id: Int32, _ h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = id + 1
    }

    /// Whether two strings have the same UTF-8 bytes. Not `==`, which equates canonically
    /// equivalent spellings: two byte strings are two keys to the system under test.
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                guard let p = x.baseAddress, let q = y.baseAddress else { return true }
                return memcmpEqual(p, q, x.count)
            }
        }
    }

    /// FNV-1a over the UTF-8 bytes, then mixed so that the low bits depend on every byte.
    private static func hash(_ s: String) -> UInt64 {
        var s = s
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        s.withUTF8 { b in
            for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01B3 }
        }
        return (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9 ^ (h >> 32)
    }

    var heldBytes: Int {
        strings.count * 72 + slots.count * 4 + strings.reduce(0) { $0 + ($1.utf8.count > 15 ? $1.utf8.count : 0) }
    }
}

/// String bytes in pages of 1 MiB; a string is referred to by page, offset and length in one word.
struct StringArena: Sendable {
    static let pageShift = 20
    static let pageSize = 1 << pageShift
    private var pages: [[UInt8]] = []

    /// The reference of `s` after storing its bytes; nil when it is longer than a page.
    mutating func store(_ s: String) -> UInt64? {
        let n = s.utf8.count
        guard n < Self.pageSize else { return nil }
        if pages.isEmpty || pages[pages.count - 1].count + n > Self.pageSize {
            var page: [UInt8] = []
            page.reserveCapacity(Self.pageSize)
            pages.append(page)
        }
        let p = pages.count - 1
        let offset = pages[p].count
        pages[p].append(contentsOf: s.utf8)
        return UInt64(p) << 40 | UInt64(offset) << 20 | UInt64(n)
    }

    func string(_ ref: UInt64) -> String {
        let p = Int(ref >> 40), offset = Int((ref >> 20) & 0xFFFFF), n = Int(ref & 0xFFFFF)
        return String(decoding: pages[p][offset..<(offset + n)], as: UTF8.self)
    }

    var heldBytes: Int { pages.count * Self.pageSize }
}
