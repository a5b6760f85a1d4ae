import Dispatch
import Foundation
import GongguCore
import GongguStore

/// Appends a service's consumed upstream batches to its own log on a thread of its own, one at a time
/// and in order, while the loop thread folds the next batch (`log.pipelined_commits`).
///
/// The loop thread stays the only one that decides: it folds batch N + 1 while batch N's transaction
/// and fsync run here, then learns of N's outcome (`takeCompleted`, `drain`) and only then publishes it
/// and runs the behaviour's edges for it (`didCommit`): nothing leaves the service before it is
/// durable. The log's order is the fold's order because there is one committer and at most `depth`
/// batches in flight. A refused batch stops every later one (they are dropped, never appended, so the
/// log never holds a batch whose predecessor is missing); the host then stops for a rebuild by replay,
/// as it does for a refused synchronous commit of a consumed batch.
///
/// Thread safety: `enqueue`, `takeCompleted` and `drain` are called by the loop thread only.
final class CommitPipeline: @unchecked Sendable {
    /// A batch as the log recorded it, with the head hash right after it.
    struct Committed {
        var recorded: [Event]
        var headHash: String
        /// Wall time of the append (transaction and fsync).
        var seconds: Double = 0
    }

    /// What became of one enqueued batch.
    struct Outcome {
        var batch: [Event]
        var result: Result<Committed, Error>
    }

    private let log: EventLog
    private let queue: DispatchQueue
    private let slots: DispatchSemaphore
    private let depth: Int
    private let lock = NSLock()
    private var completed: [Outcome] = []
    private var failed = false
    private var inFlight = 0

    /// - Parameters:
    ///   - log: the service's own log; while batches are in flight only this pipeline may append to it.
    ///   - depth: batches in flight at most (at least 1); `enqueue` waits beyond that.
    init(log: EventLog, name: String, depth: Int = 1) {
        self.log = log
        self.depth = max(1, depth)
        slots = DispatchSemaphore(value: self.depth)
        queue = DispatchQueue(label: "gonggu.\(name).commit", qos: .userInitiated)
    }

    /// Queues `events` for appending after those queued before; waits while `depth` batches are in
    /// flight. After a failure, later batches are reported failed without being appended.
    func enqueue(_ events: [Event]) {
        slots.wait()
        lock.lock()
        inFlight += 1
        lock.unlock()
        queue.async { [self] in
            defer { slots.signal() }
            let result: Result<Committed, Error>
            lock.lock()
            let skip = failed
            lock.unlock()
            if skip {
                result = .failure(CommitPipelineError.earlierBatchRefused)
            } else {
                do {
                    let began = DispatchTime.now().uptimeNanoseconds
                    let recorded = try log.append(events, recordedAt: ServiceHost.now())
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
                    result = .success(
                        Committed(recorded: recorded, headHash: try log.headHash.hexString, seconds: seconds))
                } catch {
                    result = .failure(error)
                }
            }
            lock.lock()
            if case .failure = result { failed = true }
            completed.append(Outcome(batch: events, result: result))
            inFlight -= 1
            lock.unlock()
        }
    }

    /// Whether a batch is queued or being appended.
    var hasBatchesInFlight: Bool { batchesInFlight > 0 }

    /// Batches queued or being appended.
    var batchesInFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return inFlight
    }

    /// The outcomes that arrived since the last call, in enqueue order.
    func takeCompleted() -> [Outcome] {
        lock.lock()
        defer { lock.unlock() }
        let done = completed
        completed.removeAll(keepingCapacity: true)
        return done
    }

    /// Waits until nothing is in flight and returns the outcomes not taken yet.
    func drain() -> [Outcome] {
        for _ in 0..<depth { slots.wait() }
        for _ in 0..<depth { slots.signal() }
        return takeCompleted()
    }
}

/// Why a pipelined batch was not appended.
enum CommitPipelineError: Error, CustomStringConvertible {
    /// A batch before it was refused: appending it would leave a gap in what the fold applied.
    case earlierBatchRefused

    var description: String { "an earlier batch was refused; later batches are not appended" }
}
