import Basics
import Histories
import Testing
@testable import Checkers

/// Pairing reads the op store's columns: every client process number pairs, named ones are skipped.
@Suite struct PairingTests {
    @Test func unusualProcessNumbersPairLikeAnyOther() throws {
        let processes = [0, 3, -1, 1 << 21, Int(Int32.max) + 9]
        var ops: [Op] = []
        for p in processes { ops.append(Op(index: ops.count, process: .client(p), type: .invoke, f: "write", value: .int(Int64(p)))) }
        ops.append(Op(index: ops.count, process: .nemesis, type: .info, f: "start-partition"))
        for p in processes.reversed() { ops.append(Op(index: ops.count, process: .client(p), type: .ok, f: "write", value: .int(Int64(p)))) }
        let calls = try Pairing.calls(ops)
        #expect(calls.count == processes.count)
        #expect(calls.allSatisfy { $0.outcome == .ok && $0.completion != nil })
        for c in calls { #expect(ops[c.invoke].process == ops[try #require(c.completion)].process) }
        let result = try LinearizabilityChecker(model: RegisterModel(allowsCAS: false)).check(operations: ops)
        #expect(result.operationCount == processes.count)
    }

    @Test func aSecondInvocationNamesBothFunctions() {
        let ops = [
            Op(index: 0, process: .client(-4), type: .invoke, f: "read"),
            Op(index: 1, process: .client(-4), type: .invoke, f: "write", value: .int(1)),
        ]
        #expect(throws: PairingError(index: 1, message: "process -4 invokes write while its read from operation 0 has not completed; a process has one operation in flight at a time")) {
            try Pairing.calls(ops)
        }
    }
}
