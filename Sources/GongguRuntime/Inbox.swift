import Foundation
import GongguCore

/// Events handed to the log-owning thread by other threads (command handlers), each submitter
/// waiting until its events are committed — the "group commit" queue: the owner takes everything
/// pending into one transaction.
public final class Inbox: @unchecked Sendable {
    /// One submission: input events to apply and append, and the waiter to wake.
    public final class Submission: @unchecked Sendable {
        public let events: [Event]
        fileprivate let done = DispatchSemaphore(value: 0)
        fileprivate var result: Result<[Event], Error> = .success([])

        init(events: [Event]) { self.events = events }

        /// Called by the owner once committed (recorded events: the inputs and what they caused).
        public func complete(_ result: Result<[Event], Error>) {
            self.result = result
            done.signal()
        }
    }

    private let condition = NSCondition()
    private var pending: [Submission] = []
    private var closed = false

    public init() {}

    /// Submits `events` and waits until the owner committed them; returns the recorded events.
    public func submit(_ events: [Event]) throws -> [Event] {
        let s = Submission(events: events)
        condition.lock()
        if closed {
            condition.unlock()
            throw ServiceError.shuttingDown
        }
        pending.append(s)
        condition.signal()
        condition.unlock()
        s.done.wait()
        return try s.result.get()
    }

    /// Takes every pending submission, waiting up to `timeout` seconds for the first.
    public func take(timeout: TimeInterval) -> [Submission] {
        condition.lock()
        defer { condition.unlock() }
        if pending.isEmpty && timeout > 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: timeout)) }
        let out = pending
        pending.removeAll()
        return out
    }

    /// Refuses new submissions and fails the pending ones (shutdown).
    public func close() {
        condition.lock()
        closed = true
        let out = pending
        pending.removeAll()
        condition.unlock()
        for s in out { s.complete(.failure(ServiceError.shuttingDown)) }
    }
}

/// Service-level failures reported to callers.
public enum ServiceError: Error, CustomStringConvertible, Equatable {
    /// The service is stopping and takes no new input.
    case shuttingDown
    /// The log refused the write for another reason (I/O error …); nothing of the batch was kept.
    case logUnavailable(String)
    /// The disk holding the log is full; nothing of the batch was kept. Submitting again once space
    /// is freed succeeds (no restart needed).
    case diskFull
    /// The log's storage is read-only (remounted read-only, folder not writable); nothing of the batch
    /// was kept. Submitting again once it is writable succeeds.
    case logReadOnly

    public var description: String {
        switch self {
        case .shuttingDown: return "service is shutting down"
        case let .logUnavailable(why): return "log unavailable: \(why)"
        case .diskFull:
            return "日志所在磁盘已满，本批记录未保存，请释放空间后重新提交 / disk full: the log refused the batch "
                + "and nothing of it was recorded; submit again once space is freed"
        case .logReadOnly:
            return "日志所在磁盘为只读，本批记录未保存，请恢复写入后重新提交 / "
                + "log storage is read-only: nothing of the batch was recorded; submit again once it is writable"
        }
    }
}
