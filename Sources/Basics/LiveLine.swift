import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One status line kept at the bottom of a terminal (a progress bar), redrawn in place.
///
/// Only for a terminal: callers check ``isTerminal`` first. Anything else printed to the terminal
/// calls ``clear()`` before it, so that the bar never mixes with other lines; the next
/// ``show(_:)`` draws it again below them.
public enum LiveLine {
    private static let showing = Mutex(false)

    /// Whether standard output is a terminal.
    public static var isTerminal: Bool { isatty(1) != 0 }

    /// The terminal's width in columns (80 when unknown).
    public static var columns: Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Draws `text` as the status line, cut to the terminal's width.
    public static func show(_ text: String) {
        let cut = String(text.prefix(max(10, columns - 1)))
        showing.withLock { s in
            write("\r\u{1B}[2K" + cut)
            s = true
        }
    }

    /// Erases the status line, if one is drawn.
    public static func clear() {
        showing.withLock { s in
            guard s else { return }
            write("\r\u{1B}[2K")
            s = false
        }
    }

    private static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        var tries = 0
        while offset < bytes.count, tries < 100 {
            tries += 1
            let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }
}
