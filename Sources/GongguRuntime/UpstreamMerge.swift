import GongguCore
import GongguEvents

/// The order in which a service applies the events of several upstreams, as a function of the logs
/// alone (docs/ARCHITECTURE.md, "The merge of several upstreams").
///
/// Positions count an upstream's events that are neither `InputConsumed` markers nor `CommandAccepted`
/// records (the *ordinal*: 1, 2, …): where a service's markers fall in its log depends on how it
/// happened to batch, and how many commands it accepted on how a client retried (an import resent after
/// a crash is recorded again), so its seqs do, but the sequence of its other events does not. Every event a service with upstreams derives (an output
/// of an upstream event or of an own input) names, in its payload's `basis` field, the ordinal through
/// which it had applied each of its upstreams when it derived it (`UpstreamBasis`). A follower of
/// upstreams S and T where S derives from T (S's settings say `follows: [T]`, by default the topology of
/// `ServiceTopology.upstreams(of:)`) applies
///
/// - an event of S only once it has applied T through the event's `basis[T]`, and
/// - T's event of ordinal n only once S's log is known to have passed it (an S event with
///   `basis[T] ≥ n`, or an `InputConsumed` of T through the event's seq or beyond, has been read) and
///   every S event with `basis[T] < n` has been applied.
///
/// So T's event n comes before S's event e exactly when n ≤ e.basis[T]: for every pair of events of two
/// related upstreams the order is fixed by their logs, whatever arrived first, which makes the merged
/// order unique (the upstreams' own merges obeyed the same rule, so the pairwise orders agree). Events
/// without `basis` (logs written before 2026-12-06, and `InputConsumed` markers) wait for nothing.
/// Upstreams related to no other are applied as they come, earlier-configured first.
///
/// Not thread-safe: owned by the loop thread.
public struct UpstreamMerge {
    /// The upstreams in configured order.
    public let streams: [String]
    /// For each upstream, the other upstreams (of ours) it derives from.
    private let follows: [[Int]]
    /// For each upstream, the upstreams (of ours) that derive from it.
    private let followers: [[Int]]
    private var queues: [[Queued]]
    private var heads: [Int]
    /// Last applied seq per upstream.
    public private(set) var applied: [Int64]
    /// Ordinal of the last applied event per upstream (markers not counted).
    public private(set) var appliedOrdinal: [Int64]
    /// Ordinal of the last event read per upstream.
    private var readOrdinal: [Int64]
    /// progress[u][t]: the ordinal of t through which upstream u is known (from the basis of its events
    /// read) to have applied t; progressSeq[u][t]: the seq of t (from u's markers).
    private var progress: [[Int64]]
    private var progressSeq: [[Int64]]
    /// The same, from the events applied only (what a replay of the own log rebuilds, so what a
    /// snapshot keeps: events read and held are read again after a restart).
    private var appliedProgress: [[Int64]]
    private var appliedProgressSeq: [[Int64]]
    /// Events held per upstream at most; a full queue is not read further until it moves.
    public var capacity = 20_000

    private struct Queued {
        var event: Event
        /// The event's ordinal in its upstream (that of the event before it, for a marker).
        var ordinal: Int64
        var isMarker: Bool
        /// The event's `basis`, by upstream index (nil: none recorded, or an `InputConsumed` marker).
        var basis: [Int64?]?
    }

    /// What a released event leaves in its queue slot (and a consumer's slot while it hands the event on).
    static let vacated = Event(id: .zero, type: "", subject: "", region: "", occurredAt: 0, payload: [])

    /// Whether `event` has a position (an ordinal) in its upstream: not a marker, not a command record.
    public static func isPositioned(_ event: Event) -> Bool {
        event.type != InputConsumed.eventType && event.type != CommandAccepted.eventType
    }

    /// - Parameters:
    ///   - streams: the upstreams in configured order.
    ///   - follows: for an upstream, the streams it derives from (others are ignored).
    public init(streams: [String], follows: [String: [String]]) {
        self.streams = streams
        let index = Dictionary(streams.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var f: [[Int]] = Array(repeating: [], count: streams.count)
        var g: [[Int]] = Array(repeating: [], count: streams.count)
        for (i, s) in streams.enumerated() {
            for t in follows[s] ?? [] {
                guard let j = index[t], j != i, !f[i].contains(j) else { continue }
                f[i].append(j)
                g[j].append(i)
            }
        }
        self.follows = f
        self.followers = g
        queues = Array(repeating: [], count: streams.count)
        heads = Array(repeating: 0, count: streams.count)
        applied = Array(repeating: 0, count: streams.count)
        appliedOrdinal = applied
        readOrdinal = applied
        progress = Array(repeating: Array(repeating: 0, count: streams.count), count: streams.count)
        progressSeq = progress
        appliedProgress = progress
        appliedProgressSeq = progress
    }

    private func index(_ stream: String) -> Int? { streams.firstIndex(of: stream) }

    /// Events read from `stream` and not applied yet.
    public func queued(_ stream: String) -> Int {
        guard let i = index(stream) else { return 0 }
        return queues[i].count - heads[i]
    }

    /// Whether `stream` may be read further (its queue is not full).
    public func wantsMore(_ stream: String) -> Bool { queued(stream) < capacity }

    /// The last applied seq of `stream`.
    public func applied(_ stream: String) -> Int64 {
        guard let i = index(stream) else { return 0 }
        return applied[i]
    }

    /// The ordinal of the last applied event of `stream`.
    public func appliedOrdinal(_ stream: String) -> Int64 {
        guard let i = index(stream) else { return 0 }
        return appliedOrdinal[i]
    }

    /// Start-up replay applied `event` of `stream` (in the order of the own log's markers): notes it as
    /// applied and what it tells about how far `stream` had applied the others.
    public mutating func replayed(_ event: Event, stream: String) {
        guard let i = index(stream) else { return }
        let basis = note(event, i)
        noteApplied(event, basis, i)
        applied[i] = event.seq
        if Self.isPositioned(event) { appliedOrdinal[i] += 1 }
        readOrdinal[i] = appliedOrdinal[i]
    }

    /// `appliedProgress` and `appliedProgressSeq` once `event` of upstream `i` is applied.
    private mutating func noteApplied(_ event: Event, _ basis: [Int64?]?, _ i: Int) {
        guard !follows[i].isEmpty else { return }
        if event.type == InputConsumed.eventType {
            if let m = try? event.decode(InputConsumed.self), let j = index(m.stream), follows[i].contains(j) {
                appliedProgressSeq[i][j] = max(appliedProgressSeq[i][j], m.through)
            }
        } else if let basis {
            for j in follows[i] { if let v = basis[j] { appliedProgress[i][j] = max(appliedProgress[i][j], v) } }
        }
    }

    private mutating func note(_ event: Event, _ i: Int) -> [Int64?]? {
        guard !follows[i].isEmpty else { return nil }
        if event.type == InputConsumed.eventType {
            if let m = try? event.decode(InputConsumed.self), let j = index(m.stream), follows[i].contains(j) {
                progressSeq[i][j] = max(progressSeq[i][j], m.through)
            }
            return nil
        }
        guard let basis = UpstreamBasis.read(event.payload) else { return nil }
        var b: [Int64?] = Array(repeating: nil, count: streams.count)
        for j in follows[i] {
            guard let v = basis[streams[j]] else { continue }
            b[j] = v
            progress[i][j] = max(progress[i][j], v)
        }
        return b
    }

    /// Events read from `stream`, in its order, after those already given. They move into the queue:
    /// `events` is left holding empty events (a copy would cost a retain and a release of each of an
    /// event's strings and its payload).
    public mutating func enqueue(_ events: inout [Event], stream: String) {
        guard let i = index(stream) else { return }
        for k in events.indices {
            // Moved out first and read from the local: an array's element handed to a function was
            // copied (a retain and a release of each string and the payload, cold in the cache by now).
            var e = Self.vacated
            swap(&e, &events[k])
            // Markers and command records have no position: they wait for nothing.
            let marker = !Self.isPositioned(e)
            if !marker { readOrdinal[i] += 1 }
            let basis = note(e, i)
            queues[i].append(Queued(event: consume e, ordinal: readOrdinal[i], isMarker: marker, basis: basis))
        }
    }

    /// `enqueue(_:stream:)` for events the caller keeps.
    public mutating func enqueue(_ events: [Event], stream: String) {
        var moved = events
        enqueue(&moved, stream: stream)
    }

    /// Whether the head of upstream `i` may be applied now.
    private func releasable(_ i: Int) -> Bool {
        // Fields read in place: a copy of the queued event per check would cost a retain and a release of
        // each of its strings and its payload.
        let h = heads[i]
        if let b = queues[i][h].basis {
            for j in follows[i] { if let need = b[j], appliedOrdinal[j] < need { return false } }
        }
        // A marker changes no state: it waits for nothing.
        guard !queues[i][h].isMarker else { return true }
        let s = queues[i][h].ordinal
        let seq = queues[i][h].event.seq
        for u in followers[i] {
            // Every event of u derived before s is known …
            guard progress[u][i] >= s || progressSeq[u][i] >= seq else { return false }
            // … and applied: the first one with a basis still queued must come after s.
            var k = heads[u]
            while k < queues[u].count {
                if let b = queues[u][k].basis, let at = b[i] {
                    if at < s { return false }
                    break
                }
                k += 1
            }
        }
        return true
    }

    /// Takes the events that may be applied now, in the merged order, as runs of one upstream each;
    /// at most about `limit` events. Marks them applied.
    public mutating func release(limit: Int = 20_000) -> [(stream: String, events: [Event])] {
        var out: [(stream: String, events: [Event])] = []
        var taken = 0
        while taken < limit {
            var moved = false
            for i in streams.indices where heads[i] < queues[i].count {
                var run: [Event] = []
                while heads[i] < queues[i].count, taken < limit, releasable(i) {
                    // The event moves out of the queue (its slot keeps an empty one until the queue is
                    // compacted): no copy.
                    let h = heads[i]
                    var e = Self.vacated
                    swap(&e, &queues[i][h].event)
                    noteApplied(e, queues[i][h].basis, i)
                    applied[i] = e.seq
                    appliedOrdinal[i] = queues[i][h].ordinal
                    run.append(consume e)
                    heads[i] += 1
                    taken += 1
                }
                if !run.isEmpty {
                    out.append((streams[i], run))
                    moved = true
                    break
                }
            }
            if !moved { break }
        }
        for i in streams.indices where heads[i] > 4096 && heads[i] * 2 > queues[i].count {
            queues[i].removeFirst(heads[i])
            heads[i] = 0
        }
        return out
    }

    /// The merge's positions as a replay of the own log through what is applied would rebuild them (for
    /// a snapshot): per upstream the last applied seq and ordinal, and what its applied events tell of
    /// how far it had applied the others. Events read and held are left out (read again after a start).
    public func writeSnapshot(to w: inout JSONWriter) {
        func ints(_ values: [Int64]) {
            w.beginArray()
            for v in values { w.int(Int(v)) }
            w.endArray()
        }
        w.beginObject()
        w.field("streams", streams)
        w.key("applied")
        ints(applied)
        w.key("ordinal")
        ints(appliedOrdinal)
        w.key("progress")
        w.beginArray()
        for p in appliedProgress { ints(p) }
        w.endArray()
        w.key("progressSeq")
        w.beginArray()
        for p in appliedProgressSeq { ints(p) }
        w.endArray()
        w.endObject()
    }

    /// Takes the positions `writeSnapshot` wrote, into a merge with nothing read yet; throws, changing
    /// nothing, when they are not of the same upstreams or malformed.
    public mutating func restore(snapshot value: JSONValue) throws {
        let n = streams.count
        func ints(_ v: JSONValue?) throws -> [Int64] {
            guard let a = v?.arrayValue, a.count == n else { throw UpstreamMergeSnapshotError.malformed }
            return try a.map { guard let x = $0.intValue, x >= 0 else { throw UpstreamMergeSnapshotError.malformed }; return Int64(x) }
        }
        func matrix(_ v: JSONValue?) throws -> [[Int64]] {
            guard let a = v?.arrayValue, a.count == n else { throw UpstreamMergeSnapshotError.malformed }
            return try a.map { try ints($0) }
        }
        guard let names = value["streams"]?.arrayValue?.compactMap(\.stringValue), names == streams else {
            throw UpstreamMergeSnapshotError.otherUpstreams
        }
        guard queues.allSatisfy(\.isEmpty) else { throw UpstreamMergeSnapshotError.malformed }
        let a = try ints(value["applied"]), o = try ints(value["ordinal"])
        let p = try matrix(value["progress"]), q = try matrix(value["progressSeq"])
        applied = a
        appliedOrdinal = o
        readOrdinal = o
        progress = p
        appliedProgress = p
        progressSeq = q
        appliedProgressSeq = q
    }

    /// Per upstream with events held, what they wait for (for STATUS and the log).
    public var held: [(stream: String, queued: Int, waitingFor: [String])] {
        var out: [(stream: String, queued: Int, waitingFor: [String])] = []
        for i in streams.indices where heads[i] < queues[i].count {
            var waiting: [String] = []
            let q = queues[i][heads[i]]
            if let b = q.basis {
                for j in follows[i] { if let need = b[j], appliedOrdinal[j] < need { waiting.append(streams[j]) } }
            }
            for u in followers[i] where progress[u][i] < q.ordinal && progressSeq[u][i] < q.event.seq {
                waiting.append(streams[u])
            }
            out.append((streams[i], queues[i].count - heads[i], waiting))
        }
        return out
    }
}

/// Why `UpstreamMerge.restore(snapshot:)` refused a snapshot's positions.
public enum UpstreamMergeSnapshotError: Error, CustomStringConvertible {
    case otherUpstreams
    case malformed

    public var description: String {
        switch self {
        case .otherUpstreams: return "the snapshot was taken with other upstreams configured"
        case .malformed: return "the merge positions are malformed"
        }
    }
}

/// The `basis` field a service adds to the payload of each event it derives: how far it had applied
/// each upstream (`{"basis":{"intake":1234,"verify":56}}`, streams sorted). Payload readers skip fields
/// they do not know, so older readers take these events as before.
public enum UpstreamBasis {
    static let key = Array(#""basis":"#.utf8)

    /// `payload` (a JSON object) with `basis` added as its last field; unchanged if it is not an object
    /// or already has one.
    public static func stamp(_ payload: [UInt8], _ basis: [(String, Int64)]) -> [UInt8] {
        guard !basis.isEmpty, let end = payload.lastIndex(where: { !isSpace($0) }), payload[end] == UInt8(ascii: "}"),
            read(payload) == nil
        else { return payload }
        var w = JSONWriter()
        w.beginObject()
        for (stream, seq) in basis.sorted(by: { $0.0 < $1.0 }) {
            w.key(stream)
            w.int(Int(seq))
        }
        w.endObject()
        var out = Array(payload[..<end])
        // An empty object takes no comma.
        var k = end - 1
        while k >= 0, isSpace(payload[k]) { k -= 1 }
        if k >= 0, payload[k] != UInt8(ascii: "{") { out.append(UInt8(ascii: ",")) }
        out += key
        out += w.bytes
        out += payload[end...]
        return out
    }

    /// The `basis` of a payload stamped by `stamp`, if any.
    public static func read(_ payload: [UInt8]) -> [String: Int64]? {
        // The field is the payload's last: search from the end.
        guard payload.count > key.count else { return nil }
        var i = payload.count - key.count
        let first = key[0]
        while i > 0 {
            if payload[i] == first, payload[i..<(i + key.count)].elementsEqual(key) { break }
            i -= 1
        }
        guard i > 0 else { return nil }
        let start = i + key.count
        guard let close = payload.lastIndex(of: UInt8(ascii: "}")), close > start else { return nil }
        let slice = Array(payload[start..<close])
        var out: [String: Int64] = [:]
        do {
            try JSONReader.read(slice) { r in
                try r.readObject { r, k in out[k.string] = Int64(try r.readInt()) }
            }
        } catch {
            return nil
        }
        return out
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
}
