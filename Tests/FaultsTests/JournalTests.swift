import Foundation
import Testing

@testable import Faults

/// The fault journal: lines written through, read back, torn tails, and leftovers for heal.
@Suite struct JournalTests {
    func tempPath() -> String {
        NSTemporaryDirectory() + "schism-nemesis-\(UUID().uuidString)/faults.jsonl"
    }

    @Test func roundTripsEveryField() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let journal = try FaultJournal(path: path)
        let start = FaultEvent(
            timeNanoseconds: 1_500, faultID: 1, phase: .start, family: "partition", kind: "partition-one", nodes: ["n1", "n2"],
            details: ["grudge": Grudge.complete([["n1"], ["n2"]]).json], errors: [NodeFailure(node: "n2", message: "boom")])
        let stop = FaultEvent(
            timeNanoseconds: 2_500, faultID: 1, phase: .stop, family: "partition", kind: "partition-one", nodes: ["n1", "n2"])
        try journal.append(start)
        try journal.append(stop)
        // Written through: readable before close.
        let events = try FaultJournal.read(path: path)
        #expect(events == [start, stop])
        #expect(events[0].result == "partial")
        #expect(events[1].result == "ok")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(text.contains("\"f\":\"start-partition\""))
        journal.close()
    }

    @Test func tornLastLineIsIgnoredButBadMiddleLineIsAnError() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let journal = try FaultJournal(path: path)
        try journal.append(FaultEvent(timeNanoseconds: 1, faultID: 1, phase: .start, family: "kill", kind: "kill", nodes: ["n1"]))
        journal.close()
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"time\":2,\"pha".utf8))
        try handle.close()
        #expect(try FaultJournal.read(path: path).count == 1)
        try Data("{\"time\":1}\n{\"time\":2,\"phase\":\"start\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try FaultJournal.read(path: path)
        } throws: { error in
            "\(error)".contains("faults.jsonl:1") && "\(error)".contains("phase")
        }
    }

    @Test func leftoversFollowStartsAndStops() {
        let events = [
            FaultEvent(timeNanoseconds: 1, faultID: 1, phase: .start, family: "kill", kind: "kill", nodes: ["n1", "n2"]),
            FaultEvent(timeNanoseconds: 2, faultID: 2, phase: .start, family: "pause", kind: "pause", nodes: ["n3"]),
            FaultEvent(
                timeNanoseconds: 3, faultID: 3, phase: .start, family: "clock", kind: "clock-bump", nodes: ["vm1"],
                details: ["ntp_stopped": ["vm1": ["chronyd"]], "system_clock": ["vm1"]]),
            FaultEvent(
                timeNanoseconds: 4, faultID: 1, phase: .stop, family: "kill", kind: "kill", nodes: ["n1", "n2"],
                errors: [NodeFailure(node: "n2", message: "start failed")]),
        ]
        #expect(ServerFaults.leftoverNodes(of: "kill", in: events) == ["n2"])
        #expect(ServerFaults.leftoverNodes(of: "pause", in: events) == ["n3"])
        let left = ClockFamily().leftovers(events)
        #expect(left.ntpStopped == ["vm1": ["chronyd"]])
        #expect(left.systemClockShifted == ["vm1"])
        let stop = FaultEvent(timeNanoseconds: 5, faultID: 3, phase: .stop, family: "clock", kind: "clock-bump", nodes: ["vm1"])
        let healed = ClockFamily().leftovers(events + [stop])
        #expect(healed.ntpStopped.isEmpty && healed.systemClockShifted.isEmpty)
        // A heal that restarted n2 clears it; one that restarted nothing does not.
        var report = HealReport()
        report.restored["kill"] = ["n2"]
        #expect(ServerFaults.leftoverNodes(of: "kill", in: events + [HealReport().event(timeNanoseconds: 6, nodes: ["n2"])]) == ["n2"])
        #expect(ServerFaults.leftoverNodes(of: "kill", in: events + [report.event(timeNanoseconds: 6, nodes: ["n2"])]).isEmpty)
    }

    @Test func historyOperationIsANemesisInfo() {
        let event = FaultEvent(
            timeNanoseconds: 42, faultID: 3, phase: .start, family: "partition", kind: "partition-halves", nodes: ["n1", "n2"],
            details: ["grudge": Grudge.halves(["n1", "n2"]).json])
        let line = event.operation(index: 7).jsonLine
        #expect(line.contains("\"process\":\"nemesis\""))
        #expect(line.contains("\"type\":\"info\""))
        #expect(line.contains("\"f\":\"start-partition\""))
        #expect(line.contains("\"grudge\":{\"n1\":[\"n2\"],\"n2\":[\"n1\"]}"))
        #expect(line.contains("\"index\":7,\"time\":42"))
    }
}
