import Foundation

/// Work another thread needs done on the loop thread (which alone owns the service state), such as
/// a state digest or a query: queued, run at the next loop iteration, result handed back.
public final class LoopTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [() -> Void] = []

    public init() {}

    /// Runs `body` on the loop thread and waits for its result (at most `timeout` seconds).
    public func perform<T>(timeout: TimeInterval = 30, _ body: @escaping () -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        lock.lock()
        tasks.append {
            result = body()
            done.signal()
        }
        lock.unlock()
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return result
    }

    /// Runs the queued tasks (loop thread only).
    public func runPending() {
        lock.lock()
        let pending = tasks
        tasks.removeAll()
        lock.unlock()
        for t in pending { t() }
    }
}
