/// How the service loop waits at the end of a turn: which upstream sockets it polls with the
/// behaviour's own (always polled, so acknowledgements never wait for an idle loop), and for how long
/// (docs/ARCHITECTURE.md, "Loop turns").
///
/// - An upstream whose queue in the merge is full is not read until the queue moves, so it is not
///   polled either: its socket, readable the whole time, would end every wait at once and the loop would
///   spin.
/// - Under a steady stream (this turn read a few upstream events, and an earlier turn read some less
///   than `coalesceWindowNanos` ago) the loop waits `coalesceMilliseconds` on the behaviour's sockets
///   only, so the upstreams' messages gather into batches. Without it a consumer faster than its
///   producer turns once per message or two, and the turns' polls cost more CPU than the events. This
///   adds at most `coalesceMilliseconds` per hop, and only under load; a trickle never waits.
/// - Otherwise: no wait after a turn that did work, up to 10 ms after one that did none.
struct LoopWait: Equatable {
    /// Indexes of the upstreams (in the followers' order) whose sockets are polled.
    var upstreams: [Int]
    var timeoutMs: Int
    /// Whether this is the wait of a steady stream (with no socket to poll, the loop sleeps instead).
    var coalescing: Bool

    /// A turn reading this many upstream events or more is batch enough: it does not wait.
    static let coalesceBelow = 256
    static let coalesceWindowNanos: UInt64 = 2_000_000
    static let coalesceMilliseconds = 1
    static let idleMilliseconds = 10

    /// - Parameters:
    ///   - worked: whether the turn did anything (read, applied, committed, answered).
    ///   - read: upstream events read this turn.
    ///   - sinceLastRead: nanoseconds since an earlier turn last read upstream events (nil: none has).
    ///   - wantsMore: per upstream, whether its queue in the merge has room.
    static func plan(worked: Bool, read: Int, sinceLastRead: UInt64?, wantsMore: [Bool]) -> LoopWait {
        if read > 0, read < coalesceBelow, let since = sinceLastRead, since < coalesceWindowNanos {
            return LoopWait(upstreams: [], timeoutMs: coalesceMilliseconds, coalescing: true)
        }
        return LoopWait(
            upstreams: wantsMore.indices.filter { wantsMore[$0] }, timeoutMs: worked ? 0 : idleMilliseconds,
            coalescing: false)
    }
}
