import Testing
@testable import Histories

/// Jepsen console logs as Jepsen prints them, and Jepsen's store files (`history.txt`, `history.edn`), read from real files.
@Suite struct JepsenConsoleLogTests {
    /// A console log as a terminal shows it: tabs turned into runs of spaces, other loggers'
    /// lines, a nemesis line, a warning, a stack trace, and Knossos's analysis at the end.
    static let consoleLog = """
        INFO [2017-03-01 10:00:00,001] main - jepsen.core Running test etcd
        INFO  jepsen.util - Relative time begins now
        INFO  jepsen.util - 3    :invoke  :cas    [4 4]
        INFO  jepsen.util - 0    :invoke  :read   nil
        INFO  jepsen.util - :nemesis    :info   :start  nil
        WARN  jepsen.control - retrying ssh to n3
        java.net.ConnectException: Connection refused
        \tat java.net.PlainSocketImpl.socketConnect(Native Method)
        INFO  jepsen.util - :nemesis    :info   :start  "Cut off {:n1 #{:n2 :n3}}"
        INFO  jepsen.util - 3    :fail    :cas    [4 4]
        INFO  jepsen.util - 0    :ok      :read   4
        INFO  jepsen.util - 1    :invoke  :write  2
        INFO  jepsen.util - 1    :info    :write  2    indeterminate: connection reset
        INFO  jepsen.core - Run complete, writing
        INFO  jepsen.core - Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻
        {:valid? false,
         :configs ({:model {:value 4}, :last-op {:process 3, :type :ok, :f :read, :value 4}, :pending [{:process 1, :type :invoke, :f :write, :value 2}]}),
         :op {:process 0, :type :ok, :f :read, :value 4, :index 5}}

        """

    @Test func readsAConsoleLogWithSpacesAndOtherLines() throws {
        let history = try TempFile.with(Self.consoleLog, suffix: ".log") { try HistoryReader.read(path: $0) }
        #expect(history.format == .porcupineLog)
        #expect(history.warnings.isEmpty, "\(history.warnings)")
        #expect(history.operations == [
            Op(index: 0, process: .client(3), type: .invoke, f: "cas", value: .array([.int(4), .int(4)])),
            Op(index: 1, process: .client(0), type: .invoke, f: "read"),
            Op(index: 2, process: .nemesis, type: .info, f: "start"),
            Op(index: 3, process: .nemesis, type: .info, f: "start", value: .string("Cut off {:n1 #{:n2 :n3}}")),
            Op(index: 4, process: .client(3), type: .fail, f: "cas", value: .array([.int(4), .int(4)])),
            Op(index: 5, process: .client(0), type: .ok, f: "read", value: .int(4)),
            Op(index: 6, process: .client(1), type: .invoke, f: "write", value: .int(2)),
            Op(index: 7, process: .client(1), type: .info, f: "write", value: .int(2), error: "indeterminate: connection reset"),
        ])
    }

    /// The same log with tabs, and the layouts of Jepsen's loggers: log4j's, Jepsen's logback
    /// layout for the console and for `jepsen.log`, and unilog's default.
    @Test func readsEveryLoggerLayout() throws {
        let log = """
            INFO  jepsen.util - 3\t:invoke\t:cas\t[4 4]
            INFO\t[jepsen worker 3] jepsen.util: 3\t:fail\t:cas\t[4 4]
            2017-03-01 10:00:00,123{GMT}\tINFO\t[jepsen worker 0] jepsen.util: 0\t:invoke\t:read\tnil
            INFO [2017-03-01 10:00:00,124] jepsen worker 0 - jepsen.util 0\t:ok\t:read\tnil

            """
        let ops = try TempFile.with(log, suffix: ".log") { try HistoryReader.read(path: $0).operations }
        #expect(ops.map(\.process) == [.client(3), .client(3), .client(0), .client(0)])
        #expect(ops.map(\.type) == [.invoke, .fail, .invoke, .ok])
    }

    /// Jepsen's `history.txt`: the operation lines without a logger, tab-separated.
    @Test func readsJepsenHistoryTxt() throws {
        let text = """
            0\t:invoke\t:read\tnil
            :nemesis\t:info\t:start\tnil
            0\t:ok\t:read\t3
            1\t:invoke\t:cas\t[3 4]
            1\t:fail\t:cas\t[3 4]\t:precondition-failed

            """
        let history = try TempFile.with(text, suffix: "history.txt") { path in
            #expect(try HistoryReader.detectFormat(path: path) == .porcupineLog)
            return try HistoryReader.read(path: path)
        }
        #expect(history.operations.count == 5)
        #expect(history.operations[2] == Op(index: 2, process: .client(0), type: .ok, f: "read", value: .int(3)))
        #expect(history.operations[4].error == "precondition-failed")
    }

    /// Jepsen's `history.edn` (`prn` of each op): one map per line, tagged as a record by Jepsen 0.3.
    @Test func readsJepsenHistoryEdn() throws {
        let text = """
            #jepsen.history.Op{:index 0, :time 1000, :type :invoke, :process 0, :f :write, :value 3}
            #jepsen.history.Op{:index 1, :time 2000, :type :ok, :process 0, :f :write, :value 3}
            {:index 2, :time 3000, :type :invoke, :process 1, :f :read, :value nil}
            {:index 3, :time 4000, :type :ok, :process 1, :f :read, :value 3}

            """
        let history = try TempFile.with(text, suffix: "history.edn") { try HistoryReader.read(path: $0) }
        #expect(history.format == .edn)
        #expect(history.operations.map(\.f) == ["write", "write", "read", "read"])
        #expect(history.operations[1] == Op(index: 1, time: 2000, process: .client(0), type: .ok, f: "write", value: .int(3)))
    }

    /// An operation line in the middle of a mixed log that is malformed is an error at its line and column.
    @Test func refusesAMalformedOperationLineInAMixedLog() throws {
        var lines = Self.consoleLog.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[10] = "INFO  jepsen.util - 0    :ok      :read   [4"
        let error = try TempFile.with(lines.joined(separator: "\n"), suffix: ".log") { TempFile.readError($0) }
        #expect(error?.line == 11)
        #expect(error?.column == 45, "\(String(describing: error))")
        #expect(error?.message.contains("']' to close the vector") == true, "\(String(describing: error))")
    }

    /// A log cut off inside an operation line's prefix is refused: the lost operation would go unnoticed.
    @Test func refusesALogCutOffInsideALine() throws {
        let whole = "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t12\n"
        for cut in ["INFO  jep", "INFO  jepsen.util - 0\t:o", "INFO  jepsen.util - 0\t:ok\t:read\t"] {
            let text = "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n" + cut
            #expect(whole.hasPrefix(text))
            let error = try TempFile.with(text, suffix: ".log") { TempFile.readError($0) }
            #expect(error?.line == 2, "\(cut): \(String(describing: error))")
            #expect(error?.message.contains("cut off") == true || error?.message.contains("unknown type") == true, "\(String(describing: error))")
        }
    }

    /// A whole operation as the last line without a newline is read, with a warning that its value may be cut.
    @Test func warnsWhenTheLastOperationHasNoNewline() throws {
        let text = "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t1"
        let history = try TempFile.with(text, suffix: ".log") { path in
            let history = try HistoryReader.read(path: path)
            #expect(history.warnings == [HistoryWarning(
                file: path, line: 2,
                message: "the file ends without a newline after this operation: if the log was cut off here, its value may be cut too (12 read as 1, say)")])
            return history
        }
        #expect(history.operations.last?.value == .int(1))
        #expect(history.warnings.first?.description.hasSuffix(".log:2: warning: the file ends without a newline after this operation: if the log was cut off here, its value may be cut too (12 read as 1, say)") == true)
    }
}
