import Basics
import Foundation
import Histories
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The fault journal `faults.jsonl`: one ``FaultEvent`` per line, written through at once.
///
/// Each append is one `write(2)` of a whole line to a file opened with `O_APPEND`, followed
/// by `fsync`, so a controller killed at any moment leaves every fault it started on disk
/// for `schism heal`. Lines look like:
/// `{"details":{"grudge":{"n1":["n3"]}},"errors":[],"f":"start-partition","fault":1,
///  "kind":"partition-one","nodes":["n1","n2","n3"],"phase":"start","result":"ok","time":5000000000}`
public final class FaultJournal: Sendable {
    /// The file's path.
    public let path: String
    private let fd: Mutex<Int32>

    /// Opens (creating it and its folder when needed) the journal for appending.
    public init(path: String) throws(NemesisError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw NemesisError(.journal, message: "cannot open the fault journal \(path): \(String(cString: strerror(errno)))")
        }
        fd = Mutex(descriptor)
    }

    deinit {
        fd.withLock { if $0 >= 0 { _ = Glibc.close($0) } }
    }

    /// Appends one event as a line, and syncs it to disk.
    public func append(_ event: FaultEvent) throws(NemesisError) {
        let bytes = Array((event.json.jsonText + "\n").utf8)
        let failure: String? = fd.withLock { descriptor in
            guard descriptor >= 0 else { return "the journal is closed" }
            var written = 0
            // Bounded: each pass writes at least one byte or fails.
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                if n == 0 { return "write returned 0" }
                written += n
            }
            _ = fsync(descriptor)
            return nil
        }
        if let failure {
            throw NemesisError(.journal, message: "cannot append to the fault journal \(path): \(failure)")
        }
    }

    /// Closes the file; later appends fail.
    public func close() {
        fd.withLock { descriptor in
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            descriptor = -1
        }
    }

    /// Reads every event of a journal; a malformed line is an error naming file and line.
    ///
    /// A last line without its newline (a write cut short by a crash) is ignored when it is
    /// not valid JSON, since nothing after it can be lost.
    public static func read(path: String) throws(NemesisError) -> [FaultEvent] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NemesisError(.journal, message: "cannot read the fault journal \(path) (missing or unreadable)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let endsWithNewline = text.hasSuffix("\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var events: [FaultEvent] = []
        for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let isTornTail = number == lines.count - 1 && !endsWithNewline
            let value: JSONValue
            do {
                value = try JSONValue.parse(String(line))
            } catch {
                if isTornTail { break }
                throw NemesisError(.journal, message: "\(path):\(number + 1): not valid JSON: \(error)")
            }
            do {
                events.append(try FaultEvent.parse(value))
            } catch {
                throw NemesisError(.journal, message: "\(path):\(number + 1): \(error.message)")
            }
        }
        return events
    }
}
