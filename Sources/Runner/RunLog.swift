import Basics
import Foundation
import Synchronization

/// The run's log: every line goes to `schism.log` with its time since the start, and to the terminal.
public final class RunLog: Sendable {
    private let file: Mutex<FileHandle?>
    private let clock: any RunClock
    private let echo: @Sendable (String) -> Void

    /// Opens (creates) the log file; `echo` receives each line for the terminal.
    public init(path: String?, clock: any RunClock = SystemRunClock(), echo: @escaping @Sendable (String) -> Void) {
        var handle: FileHandle?
        if let path, FileManager.default.createFile(atPath: path, contents: nil) {
            handle = FileHandle(forWritingAtPath: path)
        }
        file = Mutex(handle)
        self.clock = clock
        self.echo = echo
    }

    /// Logs a line, also shown on the terminal.
    public func info(_ text: String) {
        write(text)
        echo(text)
    }

    /// Logs a line to the file only.
    public func debug(_ text: String) {
        write(text)
    }

    private func write(_ text: String) {
        let line = String(format: "%9.3f  ", clock.elapsedSeconds) + text + "\n"
        file.withLock { h in h?.write(Data(line.utf8)) }
    }

    /// Closes the file.
    public func close() {
        file.withLock { h in
            try? h?.close()
            h = nil
        }
    }
}
