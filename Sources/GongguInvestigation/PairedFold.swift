import Dispatch
import GongguCore

/// Two folds fed the same events in one pass over the logs (`FoldReplayer` reads and decodes each event
/// once, not once per fold): the events are gathered in batches and each batch is applied to the two
/// folds on two threads at once, each fold in order. The replayer ignores a fold's outputs (the
/// wrapped folds keep what they need), so applying a batch later than it was read changes nothing.
/// Call `finish()` after the replay: it applies the last, partial batch.
///
/// Why: `gonggu rules diff` compares two rebuilds of the same fold; run one after the other they cost
/// twice the reading and decoding as well as twice the folding (docs/BENCHMARKS.md, "Rule what-if").
struct PairedFold<A: ServiceFold, B: ServiceFold>: ServiceFold {
    /// A fold on the heap, so one thread can apply a batch to it while another does the other fold.
    final class Box<F: ServiceFold>: @unchecked Sendable {
        var fold: F
        init(_ fold: F) { self.fold = fold }
        func apply(_ events: [Event]) { for e in events { _ = fold.apply(e) } }
    }

    let first: Box<A>
    let second: Box<B>
    private var batch: [Event] = []
    private let batchSize: Int
    /// Events applied to each fold so far.
    private(set) var applied = 0
    private let progress: ((Int) -> Void)?

    init(_ a: A, _ b: B, batchSize: Int = 4096, progress: ((Int) -> Void)? = nil) {
        first = Box(a)
        second = Box(b)
        self.batchSize = batchSize
        self.progress = progress
        batch.reserveCapacity(batchSize)
    }

    mutating func apply(_ event: Event) -> [Event] {
        batch.append(event)
        if batch.count >= batchSize { flush() }
        return []
    }

    /// Applies what is still gathered; the folds are complete after it.
    mutating func finish() { flush() }

    private mutating func flush() {
        guard !batch.isEmpty else { return }
        let events = batch
        let (a, b) = (first, second)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { a.apply(events) } else { b.apply(events) }
        }
        applied += events.count
        batch.removeAll(keepingCapacity: true)
        progress?(applied)
    }

    func stateDigest() -> String { first.fold.stateDigest() + second.fold.stateDigest() }
}
