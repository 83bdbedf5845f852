import Foundation
import Synchronization

/// A serial executor that runs every job on one dedicated thread.
///
/// libssh sessions must be used by one thread at a time, and its calls block. An actor
/// whose executor is one of these runs libssh on its own thread, so blocking never stalls
/// Swift's cooperative pool (which an actor on the default executor would do).
public final class ThreadExecutor: SerialExecutor, Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let signal = DispatchSemaphore(value: 0)

    /// Starts the thread; `name` shows in debuggers and `ps -L`.
    public init(name: String) {
        let thread = Thread { [self] in self.runLoop() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues a job to run on the thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        state.withLock { $0.jobs.append(unowned) }
        signal.signal()
    }

    /// Lets the thread finish once the queue is empty.
    public func shutdown() {
        state.withLock { $0.stopped = true }
        signal.signal()
    }

    /// This executor as an unowned reference, for actors' `unownedExecutor`.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    private func runLoop() {
        while true {
            signal.wait()
            while true {
                let next: UnownedJob? = state.withLock { st in
                    st.jobs.isEmpty ? nil : st.jobs.removeFirst()
                }
                guard let job = next else { break }
                job.runSynchronously(on: asUnownedSerialExecutor())
            }
            if state.withLock({ $0.stopped && $0.jobs.isEmpty }) { return }
        }
    }
}
