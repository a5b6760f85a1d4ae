import GongguCore

/// An event with the log it was read from.
public struct LocatedEvent: Sendable {
    public let event: Event
    public let source: LogSource
}

/// One log's selected events in log order, read on demand.
protocol MergeCursor: AnyObject {
    /// The next selected event, nil when exhausted.
    func peek() throws -> Event?
    func advance()
}

/// Selected events already in memory (subject queries).
final class ArrayCursor: MergeCursor {
    private let events: [Event]
    private var next = 0
    init(_ events: [Event]) { self.events = events }
    func peek() throws -> Event? { next < events.count ? events[next] : nil }
    func advance() { next += 1 }
}

/// Selected events read from a log in batches (whole-log replays).
final class StreamCursor: MergeCursor {
    private let source: LogSource
    private let exactType: String?
    private let regionPrefix: String?
    private let keep: (Event) -> Bool
    private let seen: (Event) -> Void
    private var buffer: [Event] = []
    private var next = 0
    private var after: Int64 = 0
    private var exhausted = false

    init(
        _ source: LogSource, exactType: String?, regionPrefix: String?, keep: @escaping (Event) -> Bool,
        seen: @escaping (Event) -> Void
    ) {
        self.source = source
        self.exactType = exactType
        self.regionPrefix = regionPrefix
        self.keep = keep
        self.seen = seen
    }

    func peek() throws -> Event? {
        while next >= buffer.count {
            if exhausted { return nil }
            let batch = try source.read(after: after, limit: 2000, exactType: exactType, regionPrefix: regionPrefix)
            guard let last = batch.last else {
                exhausted = true
                return nil
            }
            after = last.seq
            batch.forEach(seen)
            buffer = batch.filter(keep)
            next = 0
        }
        return buffer[next]
    }

    func advance() { next += 1 }
}

/// Merges the selected events of several logs in causal order: an event never comes before its
/// cause, nor before its cause's causes, wherever they are recorded — even when the cause itself was
/// filtered out. Among events free to go, the earliest recorded goes first; ties by log position, then
/// seq. Within one log, log order is kept (a log is causal by construction: a service appends an
/// event after what caused it).
///
/// An event is free when every log holding one of its ancestors has moved past that ancestor. Where
/// ancestors live is learned from the events the merge reads and otherwise by id (the id index), so a
/// merge costs no scan; replay endpoints cannot be asked by id, and events caused
/// by something only they hold fall back to time order.
final class CausalMerge {
    struct Position: Hashable {
        var source: Int
        var seq: Int64
    }

    private let logs: LogSet
    /// One per log of the set, in the set's order (set before `run`).
    var cursors: [MergeCursor] = []
    /// Id → where it lives and its cause, for ids seen or looked up (bounded).
    private var known: [EventID: (Position, EventID?)] = [:]
    /// Id → its ancestors' positions (bounded).
    private var ancestry: [EventID: [Position]] = [:]
    private static let cacheLimit = 1_000_000

    init(logs: LogSet) { self.logs = logs }

    /// Records where an event lives (called for every event read, selected or not).
    func note(_ event: Event, source: Int) {
        if known.count >= Self.cacheLimit { known.removeAll(keepingCapacity: true) }
        known[event.id] = (Position(source: source, seq: event.seq), event.causation)
    }

    func run(_ body: (LocatedEvent) throws -> Void) throws {
        while true {
            var best: (i: Int, e: Event)?
            var earliest: (i: Int, e: Event)?
            for i in cursors.indices {
                guard let e = try cursors[i].peek() else { continue }
                if earliest == nil || Self.before(e, i, earliest!.e, earliest!.i) { earliest = (i, e) }
                if best == nil || Self.before(e, i, best!.e, best!.i), try isFree(e, source: i) { best = (i, e) }
            }
            // No free event can only mean clocks or logs that contradict causality; never stall.
            guard let pick = best ?? earliest else { return }
            cursors[pick.i].advance()
            try body(LocatedEvent(event: pick.e, source: logs.sources[pick.i]))
        }
    }

    private static func before(_ a: Event, _ ai: Int, _ b: Event, _ bi: Int) -> Bool {
        (a.recordedAt, ai, a.seq) < (b.recordedAt, bi, b.seq)
    }

    private func isFree(_ e: Event, source: Int) throws -> Bool {
        guard let cause = e.causation else { return true }
        for p in try ancestors(of: cause, depth: 0) where !(p.source == source && p.seq < e.seq) {
            if try !passed(p) { return false }
        }
        return true
    }

    /// Whether the log at `p.source` has emitted (or skipped) everything up to `p.seq`.
    private func passed(_ p: Position) throws -> Bool {
        guard let next = try cursors[p.source].peek() else { return true }
        return next.seq > p.seq
    }

    private func ancestors(of id: EventID, depth: Int) throws -> [Position] {
        if let cached = ancestry[id] { return cached }
        var entry = known[id]
        if entry == nil, let found = try logs.locate(id) {
            entry = (Position(source: found.source.position, seq: found.event.seq), found.event.causation)
            note(found.event, source: found.source.position)
        }
        guard let (position, cause) = entry else { return [] }
        var out = [position]
        // Chains are short (fact → finding → risk decision → notification); the bound guards against
        // a corrupt log whose causation loops.
        if let cause, depth < 32 { out += try ancestors(of: cause, depth: depth + 1) }
        if ancestry.count >= Self.cacheLimit { ancestry.removeAll(keepingCapacity: true) }
        ancestry[id] = out
        return out
    }
}
