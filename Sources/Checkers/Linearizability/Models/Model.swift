import Basics
import Histories

/// A sequential specification: the states of an object and which operations it allows.
///
/// A model compiles each completed operation into a `Call` once, then the search asks it
/// for `step(state, call)`. Steps are memoised per (state, call), so a model may be written
/// for clarity rather than speed. Adding a model is one small file plus a line in `Models.all`.
public protocol Model: Sendable {
    /// A state of the object. Kept small: it is hashed and interned.
    associatedtype State: Hashable & Sendable
    /// One operation with its input and (when known) output; equal calls have equal effects.
    associatedtype Call: Sendable & Hashable

    /// The model's name on the command line, e.g. `cas-register`.
    var name: String { get }

    /// The functions (`f`) this model understands, for messages.
    var functions: [String] { get }

    /// The initial state, from the user's `--initial` value or the model's default when nil.
    func initialState(_ initial: JSONValue?) throws(ModelError) -> State

    /// Compiles an operation: `input` is the invocation's value; `output` the completion's
    /// value when it completed `ok`, or nil when its outcome is unknown (`info`).
    func call(f: String, key: String?, input: JSONValue, output: JSONValue?) throws(ModelError) -> Call

    /// The state after `call`, or nil when the call cannot happen in `state`.
    func step(_ state: State, _ call: Call) -> State?

    /// Whether the call leaves every state it is allowed in unchanged (a read).
    ///
    /// An unknown-outcome call that only reads is dropped, and the search places an allowed
    /// one as soon as it can, trying nothing else in its place; a call that changes any state
    /// it is allowed in (even a counter of reads) must answer false, or the search is unsound.
    func isReadOnly(_ call: Call) -> Bool

    /// The state in a few words, for reports (`3`, `{x=1, y=2}`, `locked`).
    func describe(_ state: State) -> String

    /// The call in a few words, for reports (`read 3`, `cas 1→4`, `put k1 "x"`).
    func describe(_ call: Call) -> String

    /// Why `call` cannot happen in `state`, in prose, for reports.
    func whyNot(_ call: Call, in state: State) -> String

    /// Reads that pin down the states before them, for pruning. For the calls of one partition,
    /// each entry names a read (an index into `calls`), the calls that reset what it tests (say
    /// a put of its key), and a test that every state reached while the read is still to be
    /// placed, and no reset that may come before it is still to be placed, must pass: from a
    /// state that fails it, no sequence of the other calls leads to one where the read is
    /// allowed. A wrong test makes the search unsound; the default is none.
    func lookahead(_ calls: [Call]) -> [Lookahead<State>]

    /// About how many bytes `state` holds on the heap beyond its inline size (strings, maps),
    /// counted against the memory limit; the default is 0.
    func heapBytes(_ state: State) -> Int
}

/// One read of ``Model/lookahead(_:)``: the states from which it can still be reached.
public struct Lookahead<State> {
    /// The read: an index into the partition's calls.
    public var call: Int
    /// The calls that, placed before the read, would make the test wrong.
    public var resets: [Int]
    /// Whether the read can still be reached from a state.
    public var reaches: (State) -> Bool

    public init(call: Int, resets: [Int], reaches: @escaping (State) -> Bool) {
        self.call = call
        self.resets = resets
        self.reaches = reaches
    }
}

extension Model {
    public func lookahead(_ calls: [Call]) -> [Lookahead<State>] { [] }

    public func heapBytes(_ state: State) -> Int { 0 }

    public func whyNot(_ call: Call, in state: State) -> String {
        "\(describe(call)) is not possible when the state is \(describe(state))"
    }
}

/// An operation a model cannot read, or an initial value it cannot use.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Describes a JSON value compactly for prose: strings quoted, null as `nil`.
func show(_ v: JSONValue?) -> String {
    guard let v else { return "unknown" }
    if case .null = v { return "nil" }
    return v.jsonText
}

/// The calls a search places for one partition, in invocation order.
struct PlacedCalls<Call> {
    /// For each call, the index of its record in the partition's records.
    var records: [Int] = []
    var calls: [Call] = []
    /// Whether each call must be placed (it completed ok); the others may be.
    var must: [Bool] = []
}

extension Model {
    /// The calls a search places for `records`. A record is left out when it failed (it never
    /// happened), or when its outcome is unknown and it only reads. Throws the first operation
    /// the model cannot read.
    ///
    /// The stored fields are gathered a block of records at a time before the model reads them
    /// (see ``OpLog/Fields``): on a 10M-operation history this took a third off the check.
    func placedCalls(_ records: [CallRecord], ops: OpLog, nullReadsAreUnknown: Bool) throws(CheckError) -> PlacedCalls<Call> {
        var out = PlacedCalls<Call>()
        let blockSize = 256
        var inputs: [OpLog.Fields] = []
        var outputs: [OpLog.Fields?] = []
        inputs.reserveCapacity(blockSize)
        outputs.reserveCapacity(blockSize)
        for start in stride(from: 0, to: records.count, by: blockSize) {
            let block = start..<min(start + blockSize, records.count)
            inputs.removeAll(keepingCapacity: true)
            outputs.removeAll(keepingCapacity: true)
            for r in block {
                inputs.append(ops.fields(records[r].invoke))
                outputs.append(records[r].outcome == .ok ? records[r].completion.map { ops.fields($0) } : nil)
            }
            for r in block where records[r].outcome != .fail {
                let input = inputs[r - start]
                var output = outputs[r - start].map { ops.value($0) }
                if nullReadsAreUnknown, output == .null { output = nil }
                let call: Call
                do throws(ModelError) {
                    call = try self.call(
                        f: ops.functionName(input.functionID), key: ops.keyName(input.keyID), input: ops.value(input), output: output)
                } catch {
                    throw CheckError(index: records[r].invoke, message: error.message)
                }
                let must = records[r].outcome == .ok
                if !must && isReadOnly(call) { continue }
                out.records.append(r)
                out.calls.append(call)
                out.must.append(must)
            }
        }
        return out
    }
}
