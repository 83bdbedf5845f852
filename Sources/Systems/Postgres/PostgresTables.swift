import Basics
import Systems

/// The SQL of the transactional workloads: one table per run and workload kind, named from the
/// run's key prefix so runs against a long-lived server never share data.
///
/// list-append keeps a key's list as comma-separated text (`1,2,3`) and appends with
/// `INSERT … ON CONFLICT DO UPDATE SET v = t.v || ',' || new`; rw-register keeps an integer and
/// writes with an upsert. Keys in the history stay integers.
public struct PostgresTables: Sendable, Hashable {
    /// Whether the table holds lists (list-append) or registers (rw-register).
    public let lists: Bool
    /// The table's name: `schism_append_<hash>` or `schism_rw_<hash>`.
    public let table: String

    /// The tables for a run's `keyPrefix` and workload kind (`rw-register` keeps registers,
    /// anything else lists).
    public init(keyPrefix: String, workloadKind: String) {
        lists = workloadKind != "rw-register"
        // FNV-1a of the prefix: a stable, SQL-safe name of at most 30 characters.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in keyPrefix.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        table = "schism_\(lists ? "append" : "rw")_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Creates the table unless it exists.
    public var createSQL: String {
        "CREATE TABLE IF NOT EXISTS \(table) (k bigint PRIMARY KEY, v \(lists ? "text" : "bigint"))"
    }

    /// Reads key `$1`.
    public var readSQL: String { "SELECT v FROM \(table) WHERE k = $1" }

    /// Appends (lists) or writes (registers) value `$2` to key `$1`.
    public var writeSQL: String {
        lists
            ? "INSERT INTO \(table) AS t (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = t.v || ',' || $2"
            : "INSERT INTO \(table) AS t (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v"
    }

    /// The list a stored text holds (`"1,2,3"` → `[1,2,3]`; nil → `[]`); nil for text that is
    /// not such a list.
    public static func list(_ text: String?) -> JSONValue? {
        guard let text, !text.isEmpty else { return .array([]) }
        var out: [JSONValue] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let i = Int64(part) else { return nil }
            out.append(.int(i))
        }
        return .array(out)
    }
}
