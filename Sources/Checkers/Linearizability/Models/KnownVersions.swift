import Basics
import Histories

/// What a history says about a register's versions, by key: the versions of its `ok` writes and
/// how many `ok` reads saw each version. ``VersionedRegisterModel`` uses it only to cut dead ends
/// early (see there); ``RegisterVersions`` collects it.
public struct KnownVersions: Sendable {
    /// The versions of every `ok` write and cas, by key, sorted.
    public var writes: [String?: [Int64]]
    /// How many `ok` reads reported each version, by key.
    public var reads: [String?: [Int64: Int]]

    public init(writes: [String?: [Int64]] = [:], reads: [String?: [Int64: Int]] = [:]) {
        self.writes = writes
        self.reads = reads
    }

    /// What a call on `key` with `version` may not pass over, and how many reads its version has.
    ///
    /// For a write (or cas) the highest `ok` write version below its own; for a read the highest
    /// up to and including its own (a read cannot pin a version that an `ok` write still to be
    /// placed has, or one above it).
    func bound(key: String?, version: Int64?, isRead: Bool) -> VersionedRegisterModel.Bound {
        guard let version else { return VersionedRegisterModel.Bound(after: nil, reads: 0) }
        let list = writes[key] ?? []
        // The number of elements of `list` below `version` (or up to it, for a read).
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < version || (isRead && list[mid] == version) { low = mid + 1 } else { high = mid }
        }
        return VersionedRegisterModel.Bound(after: low > 0 ? list[low - 1] : nil, reads: reads[key]?[version] ?? 0)
    }
}
