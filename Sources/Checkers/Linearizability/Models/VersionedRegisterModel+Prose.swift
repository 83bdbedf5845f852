import Basics

/// The versioned register in words, for reports: `1 @5` is the value 1 at version 5, `1 @>5`
/// the value 1 at an unknown version above 5.
extension VersionedRegisterModel {
    public func describe(_ state: State) -> String {
        switch state.version {
        case .exact(let k): return "\(show(state.value)) @\(k)"
        case .above(let a): return a == .min ? show(state.value) : "\(show(state.value)) @>\(a)"
        }
    }

    public func describe(_ call: Call) -> String {
        func at(_ v: Int64?) -> String { v.map { " @\($0)" } ?? "" }
        switch call {
        case .read(let v, let version, _): return "read \(show(v))\(at(version))"
        case .write(let v, let version, _): return "write \(show(v))\(at(version))"
        case .cas(let e, let n, let version, _): return "cas \(show(e))→\(show(n))\(at(version))"
        }
    }

    public func whyNot(_ call: Call, in state: State) -> String {
        let held = "the register held \(describe(state))"
        let floor = state.version.floor
        switch call {
        case .read(let v, let version, let bound):
            if v != state.value { return "it read \(show(v)) but \(held)" }
            if let after = bound.after, let version, version > floor, after > floor {
                return "it read \(describe(call).dropFirst(5)) but \(held), and the write with version \(after) is not placed yet"
            }
            return "it read \(describe(call).dropFirst(5)) but \(held)"
                + (version.map { $0 > floor } == true ? " (no write with that version is placed yet)" : " (a later write had replaced it)")
        case .write(_, let version, let bound):
            return whyNotWritten(version, bound, state, held)
        case .cas(let e, _, let version, let bound):
            if e != state.value { return "it expected \(show(e)) but \(held)" }
            return whyNotWritten(version, bound, state, held)
        }
    }

    /// Why a write with `version` cannot come next in `state`.
    private func whyNotWritten(_ version: Int64?, _ bound: Bound, _ state: State, _ held: String) -> String {
        let floor = state.version.floor
        if state.readsLeft > 0 {
            let n = state.readsLeft
            return "\(n) ok read\(n == 1 ? "" : "s") of \(describe(state)) \(n == 1 ? "is" : "are") not placed yet and could never be after a "
                + "write: a read that returns version \(floor) after this write took effect read a stale value"
        }
        let v = version.map(String.init) ?? "?"
        if let after = bound.after, after > floor, (version ?? .min) > floor {
            return "its version \(v) would pass over the write with version \(after), not placed yet (\(held))"
        }
        return "its version \(v) is not above \(held): versions increase with every write"
    }
}
