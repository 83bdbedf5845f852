import Basics
import Foundation
import Results
@testable import Serve
import Testing

/// `schism serve` with a real server on loopback and real HTTP requests.
@Suite("schism serve over real HTTP", .serialized)
struct ServeHTTPTests {
    /// A results folder with a valid, an invalid and a crashed run (oldest to newest), and a
    /// secret file beside it that no request may reach.
    struct Site {
        var root: String
        var valid: RunFolder
        var invalid: RunFolder
        var crashed: RunFolder
        var secret: String
        var secretText: String
    }

    static func site() throws -> Site {
        let root = try ServeFixtures.root()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let valid = try ServeFixtures.run(root: root, workload: "etcd-register", read: 1, date: t)
        let invalid = try ServeFixtures.run(root: root, workload: "etcd-register", read: 2, date: t + 60)
        let crashed = try ServeFixtures.run(root: root, workload: "redis-register", read: 1, date: t + 120, analyse: false)
        let secretText = "SECRET-\(UUID().uuidString)"
        let secret = root + "-secret.txt"
        try secretText.write(toFile: secret, atomically: true, encoding: .utf8)
        // Links that leave the results folder: a file link inside a run, and a run folder link.
        try FileManager.default.createSymbolicLink(atPath: valid.path + "/escape.txt", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: valid.path + "/etc", withDestinationPath: "/etc")
        return Site(root: root, valid: valid, invalid: invalid, crashed: crashed, secret: secret, secretText: secretText)
    }

    static func remove(_ site: Site) {
        try? FileManager.default.removeItem(atPath: site.root)
        try? FileManager.default.removeItem(atPath: site.secret)
    }

    static func runPath(_ folder: RunFolder) -> String {
        let parts = folder.path.split(separator: "/").suffix(2)
        return "/runs/" + parts.joined(separator: "/")
    }

    @Test("the index lists every run newest first with its verdict, and filters by workload and verdict")
    func index() async throws {
        let site = try Self.site()
        defer { Self.remove(site) }
        try await ServeFixtures.withServer(root: site.root) { port in
            let r = try RawHTTP.send("GET", "/", port: port)
            #expect(r.status == 200)
            #expect(r.headers["content-type"]?.hasPrefix("text/html") == true)
            let rows = r.text.components(separatedBy: "<tr class=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(rows == ["crashed", "invalid", "valid"], "\(rows)")
            #expect(r.text.contains("data-runs=\"3\""))
            #expect(r.text.contains("href=\"\(Self.runPath(site.invalid))/\""))
            #expect(r.text.contains("redis-register"))
            // Operations and ok/s come from summary.json: 2 client operations completed.
            #expect(r.text.contains("<td class=\"n\">2</td>"))
            let invalid = try RawHTTP.send("GET", "/?verdict=invalid", port: port)
            #expect(invalid.text.contains("data-runs=\"1\""))
            #expect(invalid.text.components(separatedBy: "<tr class=\"invalid\"").count == 2)
            #expect(!invalid.text.contains("<tr class=\"valid\""))
            let redis = try RawHTTP.send("GET", "/?workload=redis-register", port: port)
            #expect(redis.text.contains("data-runs=\"1\""))
            #expect(redis.text.contains("<tr class=\"crashed\""))
            let none = try RawHTTP.send("GET", "/?workload=%3Cscript%3E", port: port)
            #expect(none.text.contains("data-runs=\"0\""))
            #expect(!none.text.contains("<script>alert"))
        }
    }

    @Test("a run's page is its report.html; its files open and download; the zip holds the folder")
    func runPageFilesAndZip() async throws {
        let site = try Self.site()
        defer { Self.remove(site) }
        try await ServeFixtures.withServer(root: site.root) { port in
            let base = Self.runPath(site.invalid)
            let page = try RawHTTP.send("GET", base + "/", port: port)
            #expect(page.status == 200)
            #expect(page.text == (try String(contentsOfFile: site.invalid.reportHTML, encoding: .utf8)))
            let bare = try RawHTTP.send("GET", base, port: port)
            #expect(bare.status == 303)
            #expect(bare.headers["location"] == base + "/")
            let crashed = try RawHTTP.send("GET", Self.runPath(site.crashed) + "/", port: port)
            #expect(crashed.status == 303, "a run without report.html shows its files")
            let listing = try RawHTTP.send("GET", base + "/files/", port: port)
            #expect(listing.text.contains("href=\"nodes/n1/etcd.log\""))
            #expect(listing.text.contains("href=\"junit.xml?download\""))
            let log = try RawHTTP.send("GET", base + "/files/nodes/n1/etcd.log", port: port)
            #expect(log.status == 200)
            #expect(log.text == "etcd log line 1\netcd log line 2\n")
            #expect(log.headers["content-type"] == "text/plain; charset=utf-8")
            #expect(log.headers["content-disposition"] == nil)
            let download = try RawHTTP.send("GET", base + "/files/history.jsonl?download", port: port)
            #expect(download.headers["content-disposition"] == "attachment; filename=\"history.jsonl\"")
            #expect(download.body == (try Data(contentsOf: URL(fileURLWithPath: site.invalid.history))))
            let head = try RawHTTP.send("HEAD", base + "/files/history.jsonl", port: port)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)

            let zip = try RawHTTP.send("GET", base + ".zip", port: port)
            #expect(zip.status == 200)
            #expect(zip.headers["content-type"] == "application/zip")
            #expect(zip.headers["content-length"] == nil, "streamed, not built in memory first")
            let file = NSTemporaryDirectory() + "schism-serve-\(UUID().uuidString).zip"
            try zip.body.write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let out = NSTemporaryDirectory() + "schism-unzip-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: out) }
            let (status, text) = try Self.runTool("/usr/bin/unzip", ["-q", file, "-d", out])
            #expect(status == 0, "unzip: \(text)")
            let prefix = out + "/" + base.dropFirst("/runs/".count).replacingOccurrences(of: "/", with: "-")
            for name in ["test.json", "history.jsonl", "results.json", "report.html", "summary.json", "junit.xml", "nodes/n1/etcd.log"] {
                let original = try Data(contentsOf: URL(fileURLWithPath: site.invalid.path + "/" + name))
                #expect((try? Data(contentsOf: URL(fileURLWithPath: prefix + "/" + name))) == original, "\(name) differs in the zip")
            }
        }
    }

    /// Runs a program; returns its status and output.
    static func runTool(_ path: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("every traversal variant, link out, absurd path and other method is refused; nothing is written")
    func refusals() async throws {
        let site = try Self.site()
        defer { Self.remove(site) }
        let before = try Self.snapshot(site.root)
        try await ServeFixtures.withServer(root: site.root) { port in
            let run = Self.runPath(site.valid)
            let files = run + "/files"
            let secretName = (site.secret as NSString).lastPathComponent
            let attempts = [
                files + "/../../../../etc/passwd",
                files + "/../../../../" + secretName,
                "/../" + secretName,
                "/runs/../../" + secretName,
                files + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                files + "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/" + secretName,
                files + "/..%2f..%2f..%2f..%2fetc%2fpasswd",
                files + "/%2fetc%2fpasswd",
                files + "/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
                files + "/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
                files + "/..%5c..%5c..%5cetc%5cpasswd",
                files + "/..\\..\\..\\etc\\passwd",
                files + "/escape.txt",
                files + "/etc/passwd",
                files + "//etc/passwd",
                "//etc/passwd",
                "/runs//etc/passwd",
                "/etc/passwd",
                "/runs/etcd-register/%2e%2e/%2e%2e/" + secretName,
                "/runs/%2e%2e/%2e%2e.zip",
                "/runs/etcd-register/..%2f..%2f" + secretName + ".zip",
                files + "/%00",
                files + "/test.json%00.html",
                "http://127.0.0.1/../../etc/passwd",
                "/" + String(repeating: "a", count: 5000),
                "/" + Array(repeating: "a", count: 40).joined(separator: "/"),
                files + "/%ff%fe",
            ]
            for target in attempts {
                let r = try RawHTTP.send("GET", target, port: port)
                #expect([400, 404, 414].contains(r.status), "\(target): status \(r.status)")
                #expect(!r.text.contains("root:x:0:0"), "\(target) served /etc/passwd")
                #expect(!r.text.contains(site.secretText), "\(target) served the secret")
            }
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
                let r = try RawHTTP.send(method, run + "/files/test.json", port: port)
                #expect(r.status == 405, "\(method): \(r.status)")
                #expect(r.headers["allow"] == "GET, HEAD")
            }
            // The zip leaves out links that point outside.
            let zip = try RawHTTP.send("GET", run + ".zip", port: port)
            #expect(zip.status == 200)
            #expect(!zip.text.contains(site.secretText))
            #expect(!zip.text.contains("root:x:0:0"))
        }
        #expect(try Self.snapshot(site.root) == before, "the server changed the results folder")
    }

    /// Every path under `root` with its size and modification time.
    static func snapshot(_ root: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        for case let rel as String in fm.enumerator(atPath: root)?.allObjects ?? [] {
            let a = try fm.attributesOfItem(atPath: root + "/" + rel)
            out[rel] = "\(a[.size] ?? 0) \(a[.modificationDate] ?? "")"
        }
        return out
    }

    @Test("the default address is 127.0.0.1")
    func defaultBind() {
        #expect(ResultsServer.defaultHost == "127.0.0.1")
        #expect(ResultsServer(root: "r").host == "127.0.0.1")
        #expect(ResultsServer.isLoopback("127.0.0.1"))
        #expect(!ResultsServer.isLoopback("0.0.0.0"))
    }

    @Test("the request path gate, part by part")
    func requestPath() throws {
        #expect(try RequestPath(raw: "/runs/a/b/").parts == ["runs", "a", "b"])
        #expect(try RequestPath(raw: "/runs/a%20b/c").parts == ["runs", "a b", "c"])
        for bad in ["/a/../b", "/a/%2e%2e/b", "/a/%2fb", "/a//b", "/a/%252e", "/.hidden", "a/b", "/a\\b", "/a/%00"] {
            #expect(throws: RequestPath.Refusal.self, "\(bad)") { try RequestPath(raw: bad) }
        }
    }
}
