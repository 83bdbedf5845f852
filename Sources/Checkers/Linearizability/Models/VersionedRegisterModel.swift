import Basics
import Histories

/// A register whose state includes the key's version, so that each read pins the write it saw.
///
/// For histories whose completions carry a `version` (docs/history-format.md): a number the
/// system guarantees increases with every write to the key (etcd's `mod_revision`), 0 for a
/// key never written. The state is (value, version), where the version is either *exact* or
/// *unknown but above* a known number. The rules, each of which also demands the plain
/// register's (so every order this model accepts, the plain `cas-register` accepts too: it
/// never trusts anything the history does not show):
///
/// - initial state: the `--initial` value (default `null`); its version is exact 0 when no
///   initial value is given (or it is `null`: never written), else unknown.
/// - `read` ok of (x, v): the value must be x; an exact version must equal v; an unknown one
///   must be below v, and the read then pins it (the state becomes (x, exact v)).
/// - `write` ok of x with version w: w must be above the current version (exact, or the bound
///   of an unknown one); the state becomes (x, exact w).
/// - `cas [e, n]` ok with version w: the value must be e; then as a write of n with version w.
/// - an operation without a version (an `info` write or cas, whose effect and version the
///   history does not show, or a system that reported none) steps as in the plain register;
///   a write then leaves the version unknown but above the one before it, and a read leaves it
///   unchanged.
///
/// Because a write's version must exceed the last one, writes with versions can be placed only
/// in version order, and a read with a version only right after the write that produced it:
/// the search has almost nothing to try. A read of a version no write produced, or of an
/// older write's (value, version) after a newer write completed, is not linearizable.
///
/// Two more rules only cut dead ends early, with what ``KnownVersions`` collects from the
/// history: (1) a step may not pass over the version of an `ok` write not placed yet (a write
/// with version w, or a read pinning w, when an `ok` write's version lies between the current
/// version and w); (2) the version may not move on (by any write) while an `ok` read of the
/// current exact version is not placed. Versions only grow and an exact version never comes
/// back, so such a write or read could never be placed later, and every `ok` operation must be:
/// these reject nothing that could complete, and leave the search almost nothing to try.
///
/// The model reads completions prepared by ``RegisterVersions/prepared(_:nullReadsAreUnknown:)``
/// (the linearizability plug-in and `schism check` do this): an `ok` completion's value is
/// `{"value": v, "version": n}` there, with `version` null when the completion had none.
public struct VersionedRegisterModel: Model {
    public var name: String { "versioned-register" }
    /// Whether `cas` is allowed (chosen for `cas-register`) or rejected (for `register`).
    public let allowsCAS: Bool
    /// The history's `ok` write versions and read counts by key (empty: no early cuts).
    public let known: KnownVersions

    public init(allowsCAS: Bool = true, known: KnownVersions = KnownVersions()) {
        self.allowsCAS = allowsCAS
        self.known = known
    }

    /// What is known of the register's version.
    public enum Version: Sendable, Hashable {
        /// Exactly this version.
        case exact(Int64)
        /// Unknown (written by an operation whose version the history does not show), but above this.
        case above(Int64)

        /// A number every later write's version must exceed.
        var floor: Int64 {
            switch self {
            case .exact(let k), .above(let k): return k
            }
        }
    }

    /// The register's value and version, and how many `ok` reads of this exact version are still to be placed.
    public struct State: Sendable, Hashable {
        public var value: JSONValue
        public var version: Version
        public var readsLeft: Int
    }

    /// What the history says around a call's version: the highest `ok` write version it may not
    /// pass over (nil: none), and how many `ok` reads reported its version.
    public struct Bound: Sendable, Hashable {
        public var after: Int64?
        public var reads: Int
    }

    /// A register operation with the version its completion reported (nil: none, or unknown outcome).
    public enum Call: Sendable, Hashable {
        /// A read that saw `value`, or whose result is unknown (nil).
        case read(JSONValue?, version: Int64?, bound: Bound)
        case write(JSONValue, version: Int64?, bound: Bound)
        case cas(expected: JSONValue, new: JSONValue, version: Int64?, bound: Bound)
    }

    public var functions: [String] { allowsCAS ? ["read", "write", "cas"] : ["read", "write"] }

    public func initialState(_ initial: JSONValue?) throws(ModelError) -> State {
        guard let initial, !initial.isNull else { return State(value: .null, version: .exact(0), readsLeft: 0) }
        return State(value: initial, version: .above(.min), readsLeft: 0)
    }

    public func call(f: String, key: String?, input: JSONValue, output: JSONValue?) throws(ModelError) -> Call {
        let (result, version) = try Self.unwrap(output)
        let bound = known.bound(key: key, version: version, isRead: f == "read")
        switch f {
        case "read": return .read(result, version: version, bound: bound)
        case "write": return .write(input, version: version, bound: bound)
        case "cas" where allowsCAS:
            guard let pair = input.arrayValue, pair.count == 2 else {
                throw ModelError("cas takes [expected, new], got \(input.jsonText)")
            }
            return .cas(expected: pair[0], new: pair[1], version: version, bound: bound)
        default:
            throw ModelError("the \(name) model has no operation \"\(f)\"; it knows \(functions.joined(separator: ", "))")
        }
    }

    /// The value and version of a prepared completion (`{"value": v, "version": n}`); nil, nil
    /// for an unknown outcome.
    static func unwrap(_ output: JSONValue?) throws(ModelError) -> (JSONValue?, Int64?) {
        guard let output else { return (nil, nil) }
        guard case .object(let o) = output, o.count == 2, let value = o["value"], let version = o["version"] else {
            throw ModelError(
                "the versioned-register model reads completions prepared with their versions (RegisterVersions.prepared), got \(output.jsonText)")
        }
        switch version {
        case .null: return (value, nil)
        case .int(let v): return (value, v)
        default: throw ModelError("a version is an integer, got \(version.jsonText)")
        }
    }

    public func step(_ state: State, _ call: Call) -> State? {
        switch call {
        case .read(let v, let version, let bound):
            guard let v else { return state }
            guard v == state.value else { return nil }
            guard let version else { return state }
            switch state.version {
            case .exact(let k):
                return version == k ? State(value: v, version: state.version, readsLeft: max(0, state.readsLeft - 1)) : nil
            case .above(let a):
                guard version > a, (bound.after ?? .min) <= a else { return nil }
                return State(value: v, version: .exact(version), readsLeft: max(0, bound.reads - 1))
            }
        case .write(let v, let version, let bound):
            return written(v, version, bound, over: state)
        case .cas(let expected, let new, let version, let bound):
            guard expected == state.value else { return nil }
            return written(new, version, bound, over: state)
        }
    }

    /// The state after a write of `value` with `version` (nil: unknown), or nil when the version
    /// does not increase, would pass over an `ok` write's, or reads of the current one are left.
    private func written(_ value: JSONValue, _ version: Int64?, _ bound: Bound, over state: State) -> State? {
        guard state.readsLeft == 0 else { return nil }
        let floor = state.version.floor
        guard let version else { return State(value: value, version: .above(floor), readsLeft: 0) }
        guard version > floor, (bound.after ?? .min) <= floor else { return nil }
        return State(value: value, version: .exact(version), readsLeft: bound.reads)
    }

    /// A read without a version; one with a version pins it and counts the reads left.
    public func isReadOnly(_ call: Call) -> Bool {
        if case .read(_, version: nil, _) = call { return true }
        return false
    }
}
