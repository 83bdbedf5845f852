import Foundation
import Results
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The runs under a results folder, each with its ``RunSummary``, newest first.
///
/// A scan lists `results/<workload>/<run>` (links such as `latest` are skipped) and reads a run's
/// small summary only when its folder changed since the last scan (its modification time; writing
/// `summary.json` atomically changes it), so that an index of 10,000 runs costs 10,000 `stat` calls.
/// Never reads a history, never writes.
final class RunIndex: Sendable {
    /// One run: its place under the results folder and its summary.
    struct Entry: Sendable, Equatable {
        /// The workload folder's name.
        var workloadFolder: String
        /// The run folder's name (its UTC start stamp).
        var run: String
        var summary: RunSummary
        /// `workload/run`, the run's path under the results folder.
        var relativePath: String { workloadFolder + "/" + run }
    }

    /// Most runs listed (beyond them the oldest are not shown); bounds a scan's time and memory.
    static let maxRuns = 200_000

    let root: String

    /// What the last scan saw: each run folder's modification time and summary, and the entries
    /// built from them, sorted; reused as they are while no folder changed.
    private struct State {
        var runs: [String: (mtime: timespec, summary: RunSummary?)] = [:]
        var entries: [Entry] = []
    }

    private let state = Mutex(State())

    /// The index of the results folder `root`.
    init(root: String) {
        self.root = root
    }

    /// Every run, newest first (by the run folder's stamp, then workload).
    func scan() -> [Entry] {
        var found: [(workload: String, run: String, path: String, mtime: timespec)] = []
        for workload in Self.folders(in: root) {
            for run in Self.folders(in: root + "/" + workload.name) {
                if found.count >= Self.maxRuns { break }
                found.append((workload.name, run.name, root + "/" + workload.name + "/" + run.name, run.mtime))
            }
        }
        return state.withLock { state in
            let unchanged = found.count == state.runs.count && found.allSatisfy { f in
                guard let hit = state.runs[f.path] else { return false }
                return hit.mtime.tv_sec == f.mtime.tv_sec && hit.mtime.tv_nsec == f.mtime.tv_nsec
            }
            if unchanged { return state.entries }
            var runs: [String: (mtime: timespec, summary: RunSummary?)] = [:]
            runs.reserveCapacity(found.count)
            var entries: [Entry] = []
            entries.reserveCapacity(found.count)
            for f in found {
                let summary: RunSummary?
                if let hit = state.runs[f.path], hit.mtime.tv_sec == f.mtime.tv_sec, hit.mtime.tv_nsec == f.mtime.tv_nsec {
                    summary = hit.summary
                } else {
                    summary = RunSummary.read(folder: f.path)
                }
                runs[f.path] = (f.mtime, summary)
                if let summary { entries.append(Entry(workloadFolder: f.workload, run: f.run, summary: summary)) }
            }
            entries.sort { ($0.run, $0.workloadFolder) > ($1.run, $1.workloadFolder) }
            state = State(runs: runs, entries: entries)
            return entries
        }
    }

    /// The real folders (not links, not hidden) in `path`, with their modification times.
    static func folders(in path: String) -> [(name: String, mtime: timespec)] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [(String, timespec)] = []
        var count = 0
        while let entry = readdir(dir), count < maxRuns {
            count += 1
            let name = withUnsafePointer(to: entry.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            var st = stat()
            guard lstat(path + "/" + name, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else { continue }
            out.append((name, st.st_mtim))
        }
        return out
    }
}
