import Basics
import Checkers
import Foundation
import Histories
import Runner
import Systems
import Testing

/// A response's version goes into the history as the completion's `version` field, and back.
struct RecorderVersionTests {
    @Test("the recorder writes a response's version on its completion line; the reader keeps it")
    func versionRoundTrip() throws {
        let path = NSTemporaryDirectory() + "schism-versions-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try Recorder(path: path, clock: ManualClock())
        let write = ClientRequest(f: "write", key: "k", value: 3)
        let read = ClientRequest(f: "read", key: "k", value: .null)
        recorder.invoke(process: 0, write)
        recorder.complete(process: 0, write, ClientResponse(type: .ok, value: 3, version: 17))
        recorder.invoke(process: 0, read)
        recorder.complete(process: 0, read, ClientResponse(type: .ok, value: 3, version: 17))
        recorder.invoke(process: 1, write)
        recorder.complete(process: 1, write, ClientResponse(type: .info, value: 3, error: "timeout after 1s"))
        try recorder.finish()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines[1].hasSuffix(#""value":3,"version":17}"#), "\(lines[1])")
        #expect(!lines[5].contains("version"))
        let ops = try HistoryReader.read(path: path).operations
        #expect(ops.map(RegisterVersions.version(of:)) == [nil, 17, nil, 17, nil, nil])
        #expect(ops.map(\.jsonLine).joined(separator: "\n") + "\n" == text)
    }
}
