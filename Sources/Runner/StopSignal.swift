import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a flag the run polls, so that it stops cleanly: heal, write results.
///
/// A second signal while the run is winding down exits at once (status 128 + signal); what a
/// run left behind is then undone by `schism heal`.
public final class StopSignal: Sendable {
    private let received = Atomic<Int32>(0)

    public init() {}

    /// The signal received (SIGINT 2, SIGTERM 15), or 0.
    public var signal: Int32 { received.load(ordering: .relaxed) }

    /// Whether a stop was asked for.
    public var isSet: Bool { signal != 0 }

    /// Asks the run to stop, as a signal would.
    public func request(_ signal: Int32 = SIGINT) {
        if !received.compareExchange(expected: 0, desired: signal, ordering: .relaxed).exchanged {
            exit(128 + signal)
        }
    }

    /// Starts catching SIGINT and SIGTERM until the process ends.
    public func install() {
        for sig in [SIGINT, SIGTERM] {
            Glibc.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.request(sig) }
            source.resume()
            // The source must live as long as the process: it is retained on purpose, never released.
            _ = Unmanaged.passRetained(source as AnyObject)
        }
    }
}
