import Basics
import Histories

/// Chooses between the plain and the versioned register model, and prepares a history for the
/// versioned one.
///
/// A register history is checked with ``VersionedRegisterModel`` when the requested model is
/// `register` or `cas-register` (or `versioned-register` itself) and every `ok` read, write and
/// cas carries a `version` (docs/history-format.md); otherwise with the requested model. The
/// versioned model reads each `ok` completion as `{"value": v, "version": n}`:
/// ``prepared(_:nullReadsAreUnknown:)`` rewrites the completions that way and changes nothing
/// else (indices, order and every other field stay), so results point into the original history.
public enum RegisterVersions {
    /// The functions whose `ok` completions must carry a version for the versioned model to be chosen.
    static let versionedFunctions: Set<String> = ["read", "write", "cas"]

    /// The model chosen for a history, the operations to give it, and a note for the summary.
    public struct Choice: Sendable {
        public var model: any Model
        public var operations: OpLog
        /// Why this model, in a few words (nil when the requested model is not a register).
        public var note: String?
    }

    /// The version a completion carries: its `version` field when that is an integer.
    public static func version(of op: Op) -> Int64? {
        guard case .int(let v)? = op.extra["version"] else { return nil }
        return v
    }

    /// How many `ok` reads, writes and cas carry a version, of how many.
    public static func coverage(_ ops: OpLog) -> (versioned: Int, total: Int) {
        var versioned = 0
        var total = 0
        let counted = Set(ops.functionNames.indices.filter { versionedFunctions.contains(ops.functionNames[$0]) }.map(Int32.init))
        for i in ops.indices where ops.type(i) == .ok && ops.clientProcess(i) != nil && counted.contains(ops.functionID(i)) {
            total += 1
            if version(of: ops[i]) != nil { versioned += 1 }
        }
        return (versioned, total)
    }

    /// The model for `ops` when `requested` was asked for: the versioned register when it is a
    /// register model and every `ok` read, write and cas has a version, else `requested`.
    public static func choose(_ requested: any Model, for ops: OpLog, nullReadsAreUnknown: Bool) -> Choice {
        let allowsCAS: Bool
        switch requested {
        case let m as VersionedRegisterModel:
            let operations = prepared(ops, nullReadsAreUnknown: nullReadsAreUnknown)
            return Choice(model: VersionedRegisterModel(allowsCAS: m.allowsCAS, known: known(operations)), operations: operations, note: nil)
        case let m as RegisterModel: allowsCAS = m.allowsCAS
        default: return Choice(model: requested, operations: ops, note: nil)
        }
        let (withVersion, total) = coverage(ops)
        guard total > 0, withVersion == total else {
            let why = total == 0 ? "no ok reads or writes"
                : withVersion == 0 ? "the history carries no versions"
                : "\(total - withVersion) of \(total) ok reads and writes carry no version"
            return Choice(model: requested, operations: ops, note: "plain model: \(why)")
        }
        let operations = prepared(ops, nullReadsAreUnknown: nullReadsAreUnknown)
        return Choice(
            model: VersionedRegisterModel(allowsCAS: allowsCAS, known: known(operations)), operations: operations,
            note: "for \(requested.name), with the versions every ok read and write carries")
    }

    /// The versions of the `ok` writes and the counts of `ok` reads by version, by key (the
    /// invocation's, as the model sees it), of prepared operations (reads the search drops, `null`
    /// ones read as unknown, do not count). Operations that do not pair give nothing: the
    /// checker then reports the pairing error itself.
    public static func known(_ prepared: OpLog) -> KnownVersions {
        var writes: [String?: Set<Int64>] = [:]
        var reads: [String?: [Int64: Int]] = [:]
        for record in (try? Pairing.calls(prepared)) ?? [] where record.outcome == .ok {
            guard let c = record.completion, let (_, v) = try? VersionedRegisterModel.unwrap(prepared[c].value), let v else { continue }
            let invocation = prepared[record.invoke]
            if invocation.f == "read" {
                reads[invocation.key, default: [:]][v, default: 0] += 1
            } else if invocation.f == "write" || invocation.f == "cas" {
                writes[invocation.key, default: []].insert(v)
            }
        }
        return KnownVersions(writes: writes.mapValues { $0.sorted() }, reads: reads)
    }

    /// The operations as ``VersionedRegisterModel`` reads them: every `ok` client completion's
    /// value becomes `{"value": v, "version": n}` (`n` null when it has none). With
    /// `nullReadsAreUnknown`, an `ok` read of `null` stays `null`, which the search reads as unknown.
    public static func prepared(_ ops: OpLog, nullReadsAreUnknown: Bool) -> OpLog {
        var out = ops
        for i in out.indices where out.type(i) == .ok && out.clientProcess(i) != nil {
            let op = out[i]
            if nullReadsAreUnknown, op.f == "read", op.value.isNull { continue }
            let version = version(of: op).map(JSONValue.int) ?? .null
            out.setValue(.object(["value": op.value, "version": version]), at: i)
        }
        return out
    }
}
