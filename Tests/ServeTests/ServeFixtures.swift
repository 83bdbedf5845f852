import Basics
import Checkers
import Foundation
import Histories
import Results
@testable import Serve
import SchismTestKit

#if canImport(Glibc)
import Glibc
#endif

/// Results folders with real analysed runs, and a server of one on a free loopback port.
enum ServeFixtures {
    static let registry = CheckerRegistry([LinearizabilityPlugin()])

    /// A fresh results root under the temporary folder.
    static func root() throws -> String {
        let root = NSTemporaryDirectory() + "schism-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    /// Write 1 then read `read` on key "k": 1 is valid, 2 is a stale read (invalid).
    static func history(read: Int64) -> History {
        var b = HistoryBuilder()
        b.invoke(0, "write", .int(1), key: "k")
        b.ok(0, "write", .int(1), key: "k")
        b.nemesis("start-partition", .object(["n1": .array([.string("n2")])]))
        b.invoke(1, "read", key: "k")
        b.ok(1, "read", .int(read), key: "k")
        b.nemesis("stop-partition")
        return b.history
    }

    /// A run folder of `workload` started at `date`, analysed and written as `schism test` writes it
    /// (`analyse: false` leaves it as a crashed run leaves it: no results).
    @discardableResult
    static func run(root: String, workload: String, read: Int64, date: Date, analyse: Bool = true) throws -> RunFolder {
        let folder = try RunFolder.create(root: root, workload: workload, date: date)
        let record = RunRecord(
            workload: workload, seed: 42, system: "etcd", systemVersion: "3.4.30", nodes: [RunRecord.Node(name: "n1")],
            checkers: [LinearizabilityPlugin.runSpec(model: "cas-register")], timeLimitSeconds: 5, faults: ["partition"],
            startDate: ISO8601DateFormatter().string(from: date), command: ["schism", "test"])
        try folder.write(record.json.jsonText + "\n", to: folder.testJSON)
        try folder.write(history(read: read).operations.map(\.jsonLine).joined(separator: "\n") + "\n", to: folder.history)
        try FileManager.default.createDirectory(atPath: folder.nodeFolder("n1"), withIntermediateDirectories: true)
        try folder.write("etcd log line 1\netcd log line 2\n", to: folder.nodeFolder("n1") + "/etcd.log")
        if analyse { _ = try RunAnalysis.analyze(StoredRun(path: folder.path), registry: registry, write: true) }
        try folder.linkLatest()
        return folder
    }

    /// Runs a server of `root` on a free loopback port for the duration of `body`.
    static func withServer(root: String, _ body: (Int) async throws -> Void) async throws {
        let ready = AsyncStream<Int>.makeStream()
        let server = Task {
            try await ResultsServer(root: root, port: 0).run(signals: false) { port in ready.continuation.yield(port) }
        }
        defer { server.cancel() }
        var it = ready.stream.makeAsyncIterator()
        guard let port = await it.next() else { throw HTTPFailure("the server did not start") }
        try await body(port)
        server.cancel()
        _ = await server.result
    }
}

struct HTTPFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A raw HTTP/1.1 exchange over a TCP socket: the request line goes out byte for byte, so that
/// traversal attempts reach the server as written (URL types would normalise them first).
struct RawHTTP {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// Sends `method target` to 127.0.0.1:`port` and reads the whole answer (the server closes).
    static func send(_ method: String, _ target: String, port: Int, timeoutSeconds: Int = 10) throws -> RawHTTP {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPFailure("socket failed") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPFailure("cannot connect to port \(port)") }
        let request = Array("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw HTTPFailure("send failed")
        }
        var raw = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while raw.count < 200_000_000 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            raw.append(contentsOf: buffer[0..<n])
        }
        return try parse(raw, method: method)
    }

    static func parse(_ raw: Data, method: String) throws -> RawHTTP {
        guard let split = raw.range(of: Data("\r\n\r\n".utf8)) else { throw HTTPFailure("no header end in \(raw.count) bytes") }
        let head = String(decoding: raw[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw HTTPFailure("bad status line")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(raw[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try dechunk(body) }
        return RawHTTP(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var i = data.startIndex
        while i < data.endIndex {
            guard let lineEnd = data[i...].range(of: Data("\r\n".utf8)) else { throw HTTPFailure("bad chunk") }
            let sizeText = String(decoding: data[i..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { throw HTTPFailure("bad chunk size \(sizeText)") }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard start + size <= data.endIndex else { throw HTTPFailure("short chunk") }
            out.append(data[start..<(start + size)])
            i = start + size + 2
        }
        return out
    }
}
