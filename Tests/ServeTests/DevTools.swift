import Basics
import Foundation
import Histories

#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol (a minimal WebSocket client on a raw
/// socket): navigate, evaluate JavaScript, click, take screenshots, and collect console errors.
final class DevTools {
    static let browser: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    private let process: Process
    private let profile: String
    private let fd: Int32
    private var nextID = 0
    /// Console errors, uncaught exceptions and error log entries seen so far.
    private(set) var errors: [String] = []

    /// Starts the browser on about:blank and attaches to its page.
    init() throws {
        guard let browser = Self.browser else { throw HTTPFailure("no Chromium") }
        profile = NSTemporaryDirectory() + "schism-devtools-\(UUID().uuidString)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-port=0",
            "--user-data-dir=\(profile)", "--window-size=1280,720", "about:blank",
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        var port: Int?
        while port == nil, Date() < deadline {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let r = text.range(of: "DevTools listening on ws://127.0.0.1:") {
                port = Int(text[r.upperBound...].prefix(while: \.isNumber))
            }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw HTTPFailure("Chromium did not start its DevTools endpoint: \(text.suffix(1000))")
        }
        // Keep draining the browser's stderr so that it never blocks on a full pipe.
        err.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        do {
            let list = try RawHTTP.send("GET", "/json/list", port: port)
            guard case .array(let targets) = try JSONValue.parse(list.text),
                let page = targets.first(where: { $0["type"]?.stringValue == "page" }),
                let ws = page["webSocketDebuggerUrl"]?.stringValue, let pathStart = ws.range(of: "/devtools/")
            else { throw HTTPFailure("no page target in \(list.text.prefix(500))") }
            fd = try Self.connect(port: port, path: String(ws[pathStart.lowerBound...]))
        } catch {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw error
        }
        do {
            for method in ["Runtime.enable", "Log.enable", "Page.enable"] { _ = try call(method) }
        } catch {
            close()
            throw error
        }
    }

    /// Stops the browser (by its PID) and removes its profile.
    func close() {
        Glibc.close(fd)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Sends a DevTools command and returns its `result`, collecting events meanwhile.
    @discardableResult
    func call(_ method: String, _ params: [String: JSONValue] = [:], timeoutSeconds: Double = 30) throws -> JSONValue {
        nextID += 1
        let id = nextID
        let message = JSONValue.object(["id": .int(Int64(id)), "method": .string(method), "params": .object(params)])
        try send(message.jsonText)
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let text = try receive()
            guard case .object(let o) = try JSONValue.parse(text) else { continue }
            if o["id"]?.intValue == Int64(id) {
                if let error = o["error"] { throw HTTPFailure("\(method): \(error.jsonText)") }
                return o["result"] ?? .null
            }
            record(o)
        }
        throw HTTPFailure("\(method): no answer within \(timeoutSeconds) s")
    }

    private func record(_ event: [String: JSONValue]) {
        let params = event["params"]
        switch event["method"]?.stringValue {
        case "Runtime.exceptionThrown":
            errors.append("exception: \(params?["exceptionDetails"]?.jsonText ?? "")")
        case "Runtime.consoleAPICalled" where params?["type"]?.stringValue == "error":
            errors.append("console.error: \(params?["args"]?.jsonText ?? "")")
        case "Log.entryAdded" where params?["entry"]?["level"]?.stringValue == "error":
            errors.append("log: \(params?["entry"]?["text"]?.stringValue ?? "")")
        default: break
        }
    }

    /// Evaluates `expression` in the page and returns its value.
    func eval(_ expression: String) throws -> JSONValue {
        let r = try call("Runtime.evaluate", ["expression": .string(expression), "returnByValue": .bool(true), "awaitPromise": .bool(true)])
        if let exception = r["exceptionDetails"] { throw HTTPFailure("\(expression): \(exception.jsonText)") }
        return r["result"]?["value"] ?? .null
    }

    /// Waits until the page's `location.href` satisfies `matches` and it has loaded.
    func waitFor(timeoutSeconds: Double = 20, _ matches: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var last = ""
        while Date() < deadline {
            if case .string(let s) = try eval("location.href + ' ' + document.readyState") {
                last = s
                let parts = s.split(separator: " ")
                if parts.count == 2, parts[1] == "complete", matches(String(parts[0])) { return String(parts[0]) }
            }
            usleep(100_000)
        }
        throw HTTPFailure("the page did not get there in \(timeoutSeconds) s; last: \(last)")
    }

    /// Navigates to `url` and waits until it has loaded.
    func open(_ url: String) throws {
        try call("Page.navigate", ["url": .string(url)])
        _ = try waitFor { $0 == url }
    }

    // MARK: WebSocket (RFC 6455), client side: masked frames out, unmasked frames in.

    private static func connect(port: Int, path: String) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPFailure("socket") }
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { throw HTTPFailure("cannot connect to DevTools on \(port)") }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try writeAll(fd, Array(request.utf8))
        var head: [UInt8] = []
        while !head.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
            head.append(try readExactly(fd, 1)[0])
            if head.count > 8192 { throw HTTPFailure("no WebSocket handshake") }
        }
        guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            throw HTTPFailure("WebSocket refused: \(String(decoding: head, as: UTF8.self))")
        }
        return fd
    }

    private func send(_ text: String) throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count < 65536 {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += mask
        frame += payload.enumerated().map { $1 ^ mask[$0 % 4] }
        try Self.writeAll(fd, frame)
    }

    /// The next whole text message (continuation frames joined; pings and other control frames skipped).
    private func receive() throws -> String {
        var message: [UInt8] = []
        while true {
            let h = try Self.readExactly(fd, 2)
            let fin = h[0] & 0x80 != 0, opcode = h[0] & 0x0F
            var length = Int(h[1] & 0x7F)
            if length == 126 {
                let b = try Self.readExactly(fd, 2)
                length = Int(b[0]) << 8 | Int(b[1])
            } else if length == 127 {
                length = try Self.readExactly(fd, 8).reduce(0) { $0 << 8 | Int($1) }
            }
            guard length < 64 << 20 else { throw HTTPFailure("a DevTools message of \(length) bytes") }
            let payload = length > 0 ? try Self.readExactly(fd, length) : []
            if opcode >= 0x8 {
                if opcode == 0x8 { throw HTTPFailure("DevTools closed the connection") }
                continue
            }
            message += payload
            if fin { return String(decoding: message, as: UTF8.self) }
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, 0) }
            guard n > 0 else { throw HTTPFailure("send to DevTools failed") }
            offset += n
        }
    }

    private static func readExactly(_ fd: Int32, _ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress.map { $0 + got }, count - got, 0) }
            guard n > 0 else { throw HTTPFailure("DevTools connection ended or timed out") }
            got += n
        }
        return out
    }
}

extension JSONValue {
    /// The member `key` of an object; nil otherwise.
    fileprivate subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}
