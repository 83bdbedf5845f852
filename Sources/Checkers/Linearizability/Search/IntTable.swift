/// An open-addressing hash map from `UInt64` keys to `Int32` values, for the search's hot loop.
///
/// No per-lookup allocation, Fibonacci hashing (the top bits of the key times 2^64/phi, which
/// depend on every bit of the key) and linear probing; it grows by doubling at 50% load. Key
/// `UInt64.max` is reserved as the empty marker (callers remap it).
struct IntTable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    /// 64 - log2(size): the shift that keeps a product's top log2(size) bits.
    private var shift: UInt64
    private(set) var count = 0

    /// The bytes the table's storage holds.
    var bytes: Int { keys.capacity * 8 + values.capacity * 4 }

    private static let empty = UInt64.max

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        // The top bits: keys that differ only in their high half (a state id above a call id)
        // still spread over the table; the low bits of a product ignore a key's high bits.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    private static func fix(_ key: UInt64) -> UInt64 { key == empty ? 0x5A5A_5A5A : key }

    /// The value stored for `key`, or nil.
    @inline(__always)
    func get(_ key: UInt64) -> Int32? {
        let k = Self.fix(key)
        var i = Self.slot(k, shift)
        return keys.withUnsafeBufferPointer { kp in
            while true {
                let cur = kp[i]
                if cur == k { return values[i] }
                if cur == Self.empty { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Stores `value` for `key`, replacing any previous value.
    mutating func set(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let k = Self.fix(key)
        var i = Self.slot(k, shift)
        while true {
            let cur = keys[i]
            if cur == k { values[i] = value; return }
            if cur == Self.empty {
                keys[i] = k
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Removes every entry, keeping the storage.
    mutating func removeAll() {
        for i in keys.indices { keys[i] = Self.empty }
        count = 0
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        let size = oldKeys.count * 2
        keys = Array(repeating: Self.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = 0
        for i in 0..<oldKeys.count where oldKeys[i] != Self.empty {
            var j = Self.slot(oldKeys[i], shift)
            while keys[j] != Self.empty { j = (j + 1) & mask }
            keys[j] = oldKeys[i]
            values[j] = oldValues[i]
            count += 1
        }
    }
}
