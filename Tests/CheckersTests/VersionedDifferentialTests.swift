import Basics
import Checkers
import Histories
import Testing

/// The versioned model against the plain one and against a brute-force search, on random small histories.
struct VersionedDifferentialTests {
    /// One call for the brute force.
    struct BruteCall<C> {
        var call: C
        var invoke: Int
        var completion: Int
        var must: Bool
        var key: String
    }

    /// An order of `ops`' non-failed calls (indices into their call records) that respects real
    /// time and `model`, with info calls optionally left out; nil when none exists.
    static func bruteForce<M: Model>(_ model: M, _ ops: [Op]) throws -> [Int]? {
        let records = try Pairing.calls(ops)
        var cs: [(record: Int, c: BruteCall<M.Call>)] = []
        for (r, rec) in records.enumerated() where rec.outcome != .fail {
            let inv = ops[rec.invoke]
            let out = rec.outcome == .ok ? rec.completion.map { ops[$0].value } : nil
            let call = try model.call(f: inv.f, key: inv.key, input: inv.value, output: out)
            if rec.outcome != .ok && model.isReadOnly(call) { continue }
            cs.append((r, BruteCall(
                call: call, invoke: rec.invoke, completion: rec.outcome == .ok ? (rec.completion ?? .max) : .max,
                must: rec.outcome == .ok, key: inv.key ?? "")))
        }
        let initial = try model.initialState(nil)
        var placed = [Bool](repeating: false, count: cs.count)
        var state: [String: M.State] = [:]
        var order: [Int] = []
        func search(_ remaining: Int) -> Bool {
            if remaining == 0 { return true }
            for i in cs.indices where !placed[i] {
                if cs.indices.contains(where: { j in !placed[j] && cs[j].c.must && cs[j].c.completion < cs[i].c.invoke }) { continue }
                let k = cs[i].c.key
                let before = state[k] ?? initial
                guard let after = model.step(before, cs[i].c.call) else { continue }
                placed[i] = true; state[k] = after; order.append(cs[i].record)
                if search(remaining - (cs[i].c.must ? 1 : 0)) { return true }
                placed[i] = false; state[k] = before; order.removeLast()
            }
            return false
        }
        return search(cs.filter(\.c.must).count) ? order : nil
    }

    /// Gives every ok completion of `ops` the version it has in `order` (a linearization found
    /// for the plain model): each write in it (info writes too, unrecorded) takes the next
    /// version, a read the current one (0 before any write). Versions jump by 1-3; about one ok
    /// completion in `dropOneIn` gets none.
    static func versioned(_ ops: [Op], order: [Int], rng: inout SplitMix, dropOneIn: Int) throws -> [Op] {
        let records = try Pairing.calls(ops)
        var current: [String: Int64] = [:]
        var next: Int64 = 0
        var out = ops
        for r in order {
            let rec = records[r]
            let key = ops[rec.invoke].key ?? ""
            if ops[rec.invoke].f != "read" {
                next += 1 + Int64(rng.next(below: 3))
                current[key] = next
            }
            guard rec.outcome == .ok, let c = rec.completion else { continue }
            if dropOneIn > 0, rng.next(below: dropOneIn) == 0 { continue }
            out[c].extra["version"] = .int(current[key] ?? 0)
        }
        return out
    }

    /// Random versions 0-5 on ok completions: mostly inconsistent with any order.
    static func randomVersions(_ ops: [Op], rng: inout SplitMix) -> [Op] {
        var out = ops
        for i in out.indices where out[i].type == .ok { out[i].extra["version"] = .int(Int64(rng.next(below: 6))) }
        return out
    }

    @Test func agreesWithThePlainModelAndWithBruteForce() throws {
        var rng = SplitMix(seed: 20261202)
        let plainModel = RegisterModel(allowsCAS: true)
        let model = VersionedRegisterModel()
        var counts: [String: Int] = [:]
        for n in 0..<4_000 {
            let ops = DifferentialTests.randomHistory(&rng, keys: n % 4 == 0 ? 2 : 1)
            let plainOrder = try Self.bruteForce(plainModel, ops)
            let variants: [(name: String, ops: [Op])]
            if let plainOrder {
                variants = [
                    ("consistent", try Self.versioned(ops, order: plainOrder, rng: &rng, dropOneIn: 0)),
                    ("consistent, some without", try Self.versioned(ops, order: plainOrder, rng: &rng, dropOneIn: 4)),
                    ("random", Self.randomVersions(ops, rng: &rng)),
                ]
            } else {
                variants = [("random", Self.randomVersions(ops, rng: &rng))]
            }
            for (name, vops) in variants {
                // The search with the chosen model (which knows the ok writes' versions and so
                // refuses to pass over one), the brute force with the bare rules.
                let choice = RegisterVersions.choose(model, for: OpLog(vops), nullReadsAreUnknown: false)
                let search = try LinearizabilityChecker(model: choice.model, options: CheckOptions(parallelism: 1))
                    .check(operations: choice.operations).verdict
                let brute = try Self.bruteForce(model, Array(choice.operations)) != nil
                let text = { vops.map(\.jsonLine).joined(separator: "\n") }
                // The search decides the versioned model exactly.
                if search != (brute ? .valid : .invalid) {
                    Issue.record("history \(n) (\(name)): brute force says \(brute), search says \(search)\n\(text())")
                    return
                }
                // Sound: valid with versions implies valid without.
                if brute, plainOrder == nil {
                    Issue.record("history \(n) (\(name)): valid with versions but not without\n\(text())")
                    return
                }
                // Versions consistent with a linearization keep the plain verdict.
                if name.hasPrefix("consistent"), !brute {
                    Issue.record("history \(n) (\(name)): versions from a linearization, yet invalid\n\(text())")
                    return
                }
                counts["\(name) \(search)", default: 0] += 1
            }
        }
        print("versioned differential: \(counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
        // Every kind of case must be well represented, or the test proves little.
        #expect(counts["consistent valid", default: 0] > 1_000, "\(counts)")
        #expect(counts["consistent, some without valid", default: 0] > 1_000, "\(counts)")
        #expect(counts["random invalid", default: 0] > 1_000, "\(counts)")
        #expect(counts["random valid", default: 0] > 20, "\(counts)")
    }
}
