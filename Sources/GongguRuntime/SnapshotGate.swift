import Foundation

/// A streamed snapshot read from the live state, without a copy (docs/RELIABILITY.md, "Snapshots of
/// fold state"): the loop thread holds the fold still while the snapshot queue encodes it.
///
/// A fold is a value; taking it for the snapshot queue shares its arrays and dictionaries, and the
/// loop's first change to one of them after that copied it whole (copy-on-write) — at province scale
/// the verifier's persons and households and the risk monitor's tables, hundreds of MiB beside the
/// fold, for the seconds an encoding takes, every `snapshot.every_events` events. Instead the loop
/// applies nothing while `isReading` (upstream runs stay queued in `UpstreamMerge`, bounded by its
/// capacity; submissions wait in the inbox), and the queue drops every reference to the state
/// (`Held.release`) before it clears the flag, so the loop's next change finds the storage unique.
///
/// The pause costs the loop the encoding's time; so that it stays a small part of the loop's time a
/// snapshot due by events starts no sooner than `pauseShare⁻¹ − 1` times the last encoding's duration
/// after it ended (a snapshot asked for — `SNAPSHOT`, a stop — is taken at once).
///
/// Thread safety: `begin` and `mayStart` on the loop thread; `end` on the snapshot queue.
final class SnapshotGate: @unchecked Sendable {
    /// The largest share of the loop's time that snapshots due by events may hold the state still.
    static let pauseShare = 0.1

    /// The state a snapshot reads, dropped by the snapshot queue as soon as it is written.
    final class Held<T>: @unchecked Sendable {
        private var value: T?
        init(_ value: T) { self.value = value }
        /// The state (nil once released).
        var state: T? { value }
        /// Drops the reference; the loop may change the state in place after `SnapshotGate.end`.
        func release() { value = nil }
    }

    private let lock = NSLock()
    private var reading = false
    private var lastSeconds = 0.0
    private var lastEnded = Date.distantPast

    /// Whether a snapshot is reading the live state (the loop must not change it).
    var isReading: Bool {
        lock.lock()
        defer { lock.unlock() }
        return reading
    }

    /// Whether a snapshot due by events may start at `now`: none reading, and the pause share kept.
    func mayStart(_ now: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return !reading && now.timeIntervalSince(lastEnded) >= lastSeconds * (1 / Self.pauseShare - 1)
    }

    /// A snapshot starts reading the live state (loop thread).
    func begin() {
        lock.lock()
        reading = true
        lock.unlock()
    }

    /// The snapshot that began at `began` has released the state (snapshot queue).
    func end(began: Date) {
        lock.lock()
        reading = false
        lastEnded = Date()
        lastSeconds = lastEnded.timeIntervalSince(began)
        lock.unlock()
    }
}
