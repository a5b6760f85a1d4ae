import Dispatch
import GongguCore

/// Two folds fed the same events in one pass over the logs (`FoldReplayer` reads and decodes each event
/// once, not once per fold): the events are gathered in batches and each fold takes the batches, in
/// order, on a thread of its own while the replayer reads on — three threads busy, at most `depth`
/// batches in flight per fold. The replayer ignores a fold's outputs (the wrapped folds keep what they
/// need), so applying a batch later than it was read changes nothing. Call `finish()` after the
/// replay: it hands over the last, partial batch and waits until both folds have taken everything.
///
/// Why: `gonggu rules diff` compares two rebuilds of the same fold; run one after the other they cost
/// twice the reading as well as twice the folding, and on one thread twice the time of one rebuild
/// (docs/BENCHMARKS.md, "Rule what-if").
struct PairedFold<A: ServiceFold, B: ServiceFold>: ServiceFold {
    /// A fold on the heap, owned by one serial queue: only that queue's thread applies batches to it,
    /// and it is read (`fold`) only after `finish()`.
    final class Box<F: ServiceFold>: @unchecked Sendable {
        var fold: F
        let queue: DispatchQueue
        let slots: DispatchSemaphore

        init(_ fold: F, label: String, depth: Int) {
            self.fold = fold
            queue = DispatchQueue(label: "gonggu.whatif.\(label)")
            slots = DispatchSemaphore(value: depth)
        }

        /// Queues `events` after the batches already queued; waits while `depth` are in flight.
        func take(_ events: [Event]) {
            slots.wait()
            queue.async {
                for e in events { _ = self.fold.apply(e) }
                self.slots.signal()
            }
        }

        /// Waits until every queued batch is applied.
        func drain() { queue.sync {} }
    }

    let first: Box<A>
    let second: Box<B>
    private var batch: [Event] = []
    private let batchSize: Int
    /// Events handed to each fold so far.
    private(set) var applied = 0
    private let progress: ((Int) -> Void)?

    init(_ a: A, _ b: B, batchSize: Int = 4096, depth: Int = 4, progress: ((Int) -> Void)? = nil) {
        first = Box(a, label: "first", depth: depth)
        second = Box(b, label: "second", depth: depth)
        self.batchSize = batchSize
        self.progress = progress
        batch.reserveCapacity(batchSize)
    }

    mutating func apply(_ event: Event) -> [Event] {
        batch.append(event)
        if batch.count >= batchSize { flush() }
        return []
    }

    /// Hands over what is still gathered and waits for both folds; they are complete after it.
    mutating func finish() {
        flush()
        first.drain()
        second.drain()
    }

    private mutating func flush() {
        guard !batch.isEmpty else { return }
        let events = batch
        batch = []
        batch.reserveCapacity(batchSize)
        first.take(events)
        second.take(events)
        applied += events.count
        progress?(applied)
    }

    /// Both folds' digests (call after `finish()`).
    func stateDigest() -> String { first.fold.stateDigest() + second.fold.stateDigest() }
}
