import Foundation
import Hummingbird
import Logging
import NIOCore
import Report
import Results

#if canImport(Glibc)
import Glibc
#endif

/// `schism serve`: the results folder over HTTP, read-only.
///
/// `/` is the index of runs (``IndexPage``); `/runs/<workload>/<run>/` is the run's `report.html`;
/// `/runs/<workload>/<run>/files/` lists its files and `/runs/<workload>/<run>/files/<path>` opens
/// one (`?download` to save it); `/runs/<workload>/<run>.zip` streams the whole folder. Only GET
/// and HEAD; every path passes ``RequestPath`` and must stay inside the results folder.
public struct ResultsServer: Sendable {
    /// The results folder served.
    public var root: String
    /// The address to bind, `127.0.0.1` unless asked.
    public var host: String
    /// The port; 0 picks a free one (``run(onReady:)`` says which).
    public var port: Int

    /// The default address: loopback only, because results hold node logs.
    public static let defaultHost = "127.0.0.1"

    /// A server of `root` on `host:port`.
    public init(root: String, host: String = ResultsServer.defaultHost, port: Int = 8080) {
        self.root = root
        self.host = host
        self.port = port
    }

    /// Whether `host` is reachable only from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Serves until the task is cancelled or SIGINT/SIGTERM arrives (with `signals`); `onReady`
    /// gets the port bound once the server listens.
    public func run(signals: Bool = true, onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "schism-serve")
        logger.logLevel = .critical
        let app = Application(
            responder: Responder(root: root, index: RunIndex(root: root)),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? 0) },
            logger: logger)
        if signals { try await app.runService() } else { try await app.run() }
    }

    /// Answers one request; see ``ResultsServer``.
    struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let root: String
        let index: RunIndex

        func respond(to request: Request, context: Context) async throws -> Response {
            var response = try await answer(request)
            response.headers[.init("X-Content-Type-Options")!] = "nosniff"
            response.headers[.init("Referrer-Policy")!] = "no-referrer"
            if request.method == .head {
                response.body = ResponseBody()
            }
            return response
        }

        private func answer(_ request: Request) async throws -> Response {
            guard request.method == .get || request.method == .head else {
                var r = Self.text(.methodNotAllowed, "Only GET and HEAD: schism serve never changes the results.\n")
                r.headers[.allow] = "GET, HEAD"
                return r
            }
            let path: RequestPath
            do { path = try RequestPath(raw: request.uri.path) } catch {
                return Self.text(error == .tooLong ? .uriTooLong : .badRequest, "Refused: \(error).\n")
            }
            let query = request.uri.queryParameters
            let parts = path.parts
            if parts.isEmpty {
                var q = IndexPage.Query()
                if let w = query["workload"], !w.isEmpty { q.workload = String(w) }
                if let v = query["verdict"], !v.isEmpty { q.verdict = String(v) }
                if let p = query["page"].flatMap({ Int($0) }) { q.page = p }
                return Self.html(IndexPage.render(index.scan(), query: q, root: root))
            }
            if parts == ["favicon.ico"] { return Response(status: .noContent) }
            guard parts[0] == "runs", parts.count >= 3 else { return Self.notFound() }
            var run = parts[2]
            if parts.count == 3, run.hasSuffix(".zip"), !path.trailingSlash {
                run.removeLast(4)
                return try zip(folder: [parts[1], run])
            }
            let folder: String
            do { folder = try RequestPath.resolve([parts[1], run], under: root) } catch { return Self.forbidden(error) }
            guard RunFolder.isRunFolder(folder) else { return Self.notFound() }
            if parts.count == 3 {
                let report = RunFolder(path: folder).reportHTML
                guard path.trailingSlash else { return Self.redirect("/runs/\(IndexPage.url(parts[1]))/\(IndexPage.url(run))/") }
                if FileManager.default.fileExists(atPath: report) { return try file(report, download: false) }
                return Self.redirect("files/")
            }
            guard parts[3] == "files" else { return Self.notFound() }
            let target: String
            do { target = try RequestPath.resolve(Array(parts[1...2]) + Array(parts[4...]), under: root) } catch {
                return Self.forbidden(error)
            }
            guard target == folder || target.hasPrefix(folder + "/") else { return Self.forbidden(.outside) }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: target, isDirectory: &isDir) else { return Self.notFound() }
            if isDir.boolValue {
                guard path.trailingSlash else { return Self.redirect((parts.last.map(IndexPage.url) ?? "") + "/") }
                return Self.html(listing(target, folder: folder, title: parts[1...].joined(separator: "/")))
            }
            return try file(target, download: query["download"] != nil)
        }

        /// A file of a run, streamed in chunks; HTML only for `.html`, text for logs and histories.
        private func file(_ path: String, download: Bool) throws -> Response {
            var st = stat()
            guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return Self.notFound() }
            let size = Int(st.st_size)
            var headers = HTTPFields()
            headers[.contentType] = Self.contentType(path)
            if download {
                let name = (path as NSString).lastPathComponent.replacingOccurrences(of: "\"", with: "_")
                headers[.contentDisposition] = "attachment; filename=\"\(name)\""
            }
            let body = ResponseBody(contentLength: size) { writer in
                guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoPermission) }
                defer { try? handle.close() }
                var sent = 0
                while sent < size, let data = try handle.read(upToCount: min(ZipStream.chunk, size - sent)), !data.isEmpty {
                    sent += data.count
                    try await writer.write(ByteBuffer(bytes: data))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }

        /// The run folder as a zip, streamed: one chunk of one file in memory at a time.
        private func zip(folder parts: [String]) throws -> Response {
            let folder: String
            do { folder = try RequestPath.resolve(parts, under: root) } catch { return Self.forbidden(error) }
            guard RunFolder.isRunFolder(folder) else { return Self.notFound() }
            let files = Self.files(in: folder, root: root)
            let prefix = parts.joined(separator: "-")
            var headers = HTTPFields()
            headers[.contentType] = "application/zip"
            headers[.contentDisposition] = "attachment; filename=\"\(prefix.replacingOccurrences(of: "\"", with: "_")).zip\""
            let body = ResponseBody { writer in
                let box = WriterBox(writer)
                var zip = ZipStream { data in try await box.write(data) }
                for f in files {
                    try await zip.add(file: f.path, name: prefix + "/" + f.relative, size: f.size, modified: f.modified)
                }
                try await zip.finish()
                writer = box.writer
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }

        /// An HTML list of the files under `dir`, each with an open and a download link.
        private func listing(_ dir: String, folder: String, title: String) -> String {
            var h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(Format.html(title))</title>"
            h += "<style>body{font:14px/1.5 system-ui,sans-serif;margin:1.5em}td{padding:.1em .8em}td.n{text-align:right}</style></head><body>"
            h += "<p><a href=\"/\">all runs</a></p><h1>\(Format.html(title))</h1><table>"
            for f in Self.files(in: dir, root: root) {
                let href = f.relative.split(separator: "/").map { IndexPage.url(String($0)) }.joined(separator: "/")
                h += "<tr><td><a href=\"\(href)\">\(Format.html(f.relative))</a></td><td class=\"n\">\(f.size) bytes</td>"
                h += "<td><a href=\"\(href)?download\">download</a></td></tr>"
            }
            return h + "</table></body></html>\n"
        }

        /// Most files listed or zipped from one run folder.
        static let maxFiles = 10_000

        /// The regular files under `dir` (links followed only when they stay inside `root`), sorted.
        static func files(in dir: String, root: String) -> [(path: String, relative: String, size: UInt64, modified: Date)] {
            guard let walker = FileManager.default.enumerator(atPath: dir) else { return [] }
            var out: [(String, String, UInt64, Date)] = []
            let realRoot = RequestPath.realPath(root) ?? root
            while let relative = walker.nextObject() as? String, out.count < maxFiles {
                let full = dir + "/" + relative
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                guard let real = RequestPath.realPath(full), real.hasPrefix(realRoot + "/") else { continue }
                var st = stat()
                guard stat(real, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
                let modified = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec))
                out.append((real, relative, UInt64(st.st_size), modified))
            }
            return out.sorted { $0.1 < $1.1 }
        }

        static func contentType(_ path: String) -> String {
            switch (path as NSString).pathExtension.lowercased() {
            case "html", "htm": return "text/html; charset=utf-8"
            case "json": return "application/json"
            case "xml": return "application/xml"
            case "svg", "png", "jpg", "jpeg", "gif", "zip", "gz": return "application/octet-stream"
            default: return "text/plain; charset=utf-8"
            }
        }

        static func html(_ text: String) -> Response {
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }

        static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
            Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }

        static func notFound() -> Response { text(.notFound, "Not found: no such run or file in the results folder.\n") }

        static func forbidden(_ refusal: RequestPath.Refusal) -> Response {
            refusal == .outside ? text(.notFound, "Not found: no such run or file in the results folder.\n") : text(.badRequest, "Refused: \(refusal).\n")
        }

        static func redirect(_ location: String) -> Response {
            Response(status: .seeOther, headers: [.location: location])
        }
    }
}

/// The response body writer, held across the zip stream's `async` sink (the writer is `inout`
/// in the body closure; the box lends it to the sink and gives it back).
private final class WriterBox: @unchecked Sendable {
    // Safe: the box lives inside one response body closure, which runs once on one task; the zip
    // stream calls `write` sequentially from that task, never concurrently.
    var writer: any ResponseBodyWriter

    init(_ writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ data: Data) async throws {
        try await writer.write(ByteBuffer(bytes: data))
    }
}
