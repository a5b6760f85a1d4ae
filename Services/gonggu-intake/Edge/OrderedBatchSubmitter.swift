import Dispatch
import Foundation

/// Hands batches to a submit function on a thread of its own, one at a time and in order, so that
/// the caller can prepare the next batch while the previous one is submitted.
///
/// An import's parser uses it so that parsing and the log's commit overlap on the two cores: without
/// it, the parser waited for each batch's commit before it read another line.
///
/// - At most `depth` batches are queued or in submission at once; `enqueue` blocks beyond that, so
///   memory stays bounded whatever the file size.
/// - After a failed submission, no later batch is submitted: the log never holds a batch whose
///   predecessor was refused, and `enqueue` throws the first failure so the caller stops.
/// - `drain` waits for everything queued and returns that failure.
///
/// Thread safety: `enqueue` and `drain` are called by one producer thread; the submit function runs
/// on the submitter's serial queue.
final class OrderedBatchSubmitter<Batch>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "gonggu.ordered-batch-submitter")
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var firstError: Error?
    private let submit: (Batch) throws -> Void

    /// - Parameters:
    ///   - depth: batches queued or in submission at most (at least 1).
    ///   - submit: submits one batch; runs on the submitter's queue, batches in `enqueue` order.
    init(depth: Int = 2, submit: @escaping (Batch) throws -> Void) {
        slots = DispatchSemaphore(value: max(1, depth))
        self.submit = submit
    }

    /// The first submission failure, if any.
    var failure: Error? {
        lock.lock()
        defer { lock.unlock() }
        return firstError
    }

    /// Queues `batch` after those queued before, waiting while `depth` are in flight. Throws the first
    /// failure of an earlier batch instead (then `batch` is not submitted).
    func enqueue(_ batch: Batch) throws {
        if let error = failure { throw error }
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard failure == nil else { return }
            do {
                try submit(batch)
            } catch {
                lock.lock()
                if firstError == nil { firstError = error }
                lock.unlock()
            }
        }
    }

    /// Waits until every queued batch was submitted (or skipped after a failure) and returns the first
    /// failure.
    func drain() -> Error? {
        queue.sync {}
        return failure
    }
}
