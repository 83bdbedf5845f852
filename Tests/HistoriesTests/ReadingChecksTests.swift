import Testing
@testable import Histories

/// Readings that used to be silent or wrong: each is now an error with file:line, or a documented reading with a warning.
@Suite struct ReadingChecksTests {
    /// `1.0` read after `write 1` is the integer 1, as the format says.
    @Test func readsAnIntegralDoubleAsTheInteger() throws {
        let text = """
            {"process":0,"type":"invoke","f":"write","value":1}
            {"process":0,"type":"ok","f":"write","value":1}
            {"process":1,"type":"invoke","f":"read","value":null}
            {"process":1,"type":"ok","f":"read","value":1.0}

            """
        let ops = try TempFile.with(text, suffix: ".jsonl") { try HistoryReader.read(path: $0).operations }
        #expect(ops[3].value == .int(1))
        #expect(ops[3].value == ops[0].value)
    }

    /// A string process other than "nemesis" is read, with a warning that it is not checked.
    @Test func warnsAboutNamedProcesses() throws {
        let text = """
            {"process":"c1","type":"invoke","f":"read","value":null}
            {"process":"nemesis","type":"info","f":"start","value":null}
            {"process":"c1","type":"ok","f":"read","value":3}
            {"process":"c2","type":"invoke","f":"read","value":null}

            """
        try TempFile.with(text, suffix: ".jsonl") { path in
            let history = try HistoryReader.read(path: path)
            #expect(history.operations.count == 4)
            let message = #"process "c1" is a name, not a number: its operations are read but not checked (only integer processes are clients; named ones, such as "nemesis", are not)"#
            #expect(history.warnings == [
                HistoryWarning(file: path, line: 1, message: message),
                HistoryWarning(file: path, line: 4, message: message.replacing(#""c1""#, with: #""c2""#)),
            ])
            #expect(history.warnings[0].description == "\(path):1: warning: \(message)")
        }
        // The same in EDN and in a log.
        let edn = "[{:process :worker, :type :invoke, :f :read}\n {:process :nemesis, :type :info, :f :start}]\n"
        let fromEDN = try TempFile.with(edn, suffix: ".edn") { try HistoryReader.read(path: $0) }
        #expect(fromEDN.warnings.map(\.line) == [1])
        let log = "INFO  jepsen.util - :worker\t:invoke\t:read\tnil\n"
        let fromLog = try TempFile.with(log, suffix: ".log") { try HistoryReader.read(path: $0) }
        #expect(fromLog.warnings.map(\.line) == [1])
    }

    /// A completion whose key differs from its invocation's is an error at the completion's line.
    @Test func refusesACompletionWithAnotherKey() throws {
        let text = """
            {"process":3,"type":"invoke","f":"read","key":"a","value":null}

            {"process":4,"type":"invoke","f":"read","key":"b","value":null}
            {"process":3,"type":"ok","f":"read","key":"b","value":1}

            """
        try TempFile.with(text, suffix: ".jsonl") { path in
            let error = TempFile.readError(path)
            #expect(error == HistoryError(
                file: path, line: 4, column: 0,
                message: #"process 3 completes read with key "b", but its invocation at line 1 has key "a"; a completion has its invocation's key"#))
            #expect(error?.description.hasPrefix("\(path):4: process 3") == true)
        }
        // A completion without the key its invocation had is as wrong, in EDN too.
        let edn = "{:process 0, :type :invoke, :f :get, :key \"5\"}\n{:process 0, :type :ok, :f :get, :value \"x\"}\n"
        let error = try TempFile.with(edn, suffix: ".edn") { TempFile.readError($0, format: .edn) }
        #expect(error?.line == 2)
        #expect(error?.message.contains(#"with key none, but its invocation at line 1 has key "5""#) == true, "\(String(describing: error))")
    }

    /// `invoke write 1` / `ok write 2`: the checkers use the invocation's value, so the other is an error.
    @Test func refusesACompletionThatChangesAWritesValue() throws {
        let text = """
            {"process":0,"type":"invoke","f":"write","value":1}
            {"process":0,"type":"ok","f":"write","value":2}

            """
        try TempFile.with(text, suffix: ".jsonl") { path in
            #expect(TempFile.readError(path) == HistoryError(
                file: path, line: 2, column: 0,
                message: "process 0 completes write (ok) with value 2, but its invocation at line 1 has 1; the completion of a write repeats its invocation's value (or has none)"))
        }
        // In a console log, for a cas, and a failed one too.
        let log = "INFO  jepsen.util - 2\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 2\t:fail\t:cas\t[1 3]\n"
        let error = try TempFile.with(log, suffix: ".log") { TempFile.readError($0) }
        #expect(error?.line == 2)
        #expect(error?.message.contains("completes cas (fail) with value [1,3], but its invocation at line 1 has [1,2]") == true, "\(String(describing: error))")
        // No value, a read's value, and a repeated value are all fine.
        let fine = """
            {"process":0,"type":"invoke","f":"write","value":1}
            {"process":0,"type":"info","f":"write"}
            {"process":1,"type":"invoke","f":"put","key":"k","value":"x"}
            {"process":1,"type":"ok","f":"put","key":"k","value":"x"}
            {"process":2,"type":"invoke","f":"read","value":null}
            {"process":2,"type":"ok","f":"read","value":7}

            """
        let ops = try TempFile.with(fine, suffix: ".jsonl") { try HistoryReader.read(path: $0).operations }
        #expect(ops.count == 6)
    }

    /// A completion of another function than the one its process invoked is an error at its line.
    @Test func refusesACompletionOfAnotherFunction() throws {
        let edn = "[{:process 1, :type :invoke, :f :read}\n {:process 1, :type :ok, :f :write, :value 3}]\n"
        let error = try TempFile.with(edn, suffix: ".edn") { TempFile.readError($0) }
        #expect(error?.line == 2)
        #expect(error?.message == "process 1 completes write (ok), but its invocation at line 1 is read; a completion has its invocation's f")
    }

    /// Process numbers too large for the fast table are checked too.
    @Test func checksLargeProcessNumbers() throws {
        let text = """
            {"process":123456789,"type":"invoke","f":"write","value":1}
            {"process":-1,"type":"invoke","f":"write","value":5}
            {"process":123456789,"type":"ok","f":"write","value":2}

            """
        let error = try TempFile.with(text, suffix: ".jsonl") { TempFile.readError($0) }
        #expect(error?.line == 3)
        #expect(error?.message.hasPrefix("process 123456789 completes write (ok) with value 2") == true)
    }
}
