import GongguCore

/// Follows one upstream log in order, with nothing lost and nothing twice, after the ZeroMQ Guide's
/// *Clone* pattern: subscribe first (live messages buffer in the SUB socket), replay from the cursor
/// until caught up, then take live messages; a seq jump or a heartbeat announcing a seq beyond the
/// cursor means messages were dropped (slow joiner, high-water mark, reconnect), and the gap is
/// filled by replay. Correctness never depends on PUB/SUB not dropping.
///
/// Takes the *whole* stream: `seq` is contiguous only over the whole stream, so filtering happens
/// in-process, after ordering. With `Live.heartbeats` the live messages are only the heartbeats, and
/// every event comes from the source (a reader of the upstream's file on this host). Owned by one
/// thread (it owns the SUB socket and the source).
public final class StreamFollower {
    /// The upstream's stream name.
    public var stream: String { source.stream }
    /// The last seq delivered to the caller.
    public private(set) var cursor: Int64
    /// The highest seq the upstream is known to have (from replies and heartbeats).
    public private(set) var knownLatest: Int64
    /// Statistics: gaps detected and events fetched by replay.
    public private(set) var gapsDetected = 0
    public private(set) var replayedEvents = 0

    /// What the follower takes from the upstream's PUB socket.
    public enum Live: Sendable, Equatable {
        /// Every event, with heartbeats (the Clone pattern; any host).
        case events
        /// Heartbeats only: each one that announces a seq beyond the cursor is read from the source.
        /// For a source that reads the upstream's log file on this host: the file holds every event
        /// already, so nothing is sent twice (the publisher follows every commit with a heartbeat).
        case heartbeats
    }

    private let source: EventSource
    private let subscriber: ZMQSocket?
    private var needReplay = true
    private let batchLimit: Int
    private let live: Live

    /// - Parameters:
    ///   - source: where to replay from (file or endpoint).
    ///   - publisher: the upstream's PUB endpoint, or nil to follow by polling the source only.
    ///   - cursor: the last seq already consumed.
    public init(
        source: EventSource, publisher: String?, cursor: Int64, batchLimit: Int = 2000, live: Live = .events,
        receiveHighWaterMark: Int32 = 100_000, curve: (CurveKeyPair, String)? = nil, context: ZMQContext = .shared
    ) throws {
        self.source = source
        self.cursor = cursor
        knownLatest = cursor
        self.batchLimit = batchLimit
        self.live = live
        if let publisher {
            let s = try ZMQSocket(.sub, context: context, lingerMs: 0, maxMessageSize: CanonicalEncoding.maxPayload + 65536)
            try s.setHighWaterMarks(receive: receiveHighWaterMark)
            if let (keys, serverKey) = curve ?? ClientCredentials.shared.curve(for: publisher) {
                try s.makeCurveClient(keys, serverKey: serverKey)
            }
            try s.subscribe(live == .events ? "" : WireFormat.heartbeatPrefix)
            try s.connect(publisher)
            subscriber = s
        } else {
            subscriber = nil
        }
    }

    /// The SUB socket, for polling several followers at once.
    public var socket: ZMQSocket? { subscriber }

    /// Whether the follower knows of events it has not delivered yet.
    public var isBehind: Bool { needReplay || knownLatest > cursor }

    /// Returns the next events after the cursor, in order (possibly none), waiting at most
    /// `timeoutMs` for live messages when caught up. Advances the cursor past what it returns.
    public func next(timeoutMs: Int) throws -> [Event] {
        let events = try take(timeoutMs: timeoutMs)
        // A heartbeat that announced more is read at once, not on the next turn.
        if events.isEmpty && live == .heartbeats && knownLatest > cursor { return try take(timeoutMs: 0) }
        return events
    }

    private func take(timeoutMs: Int) throws -> [Event] {
        if needReplay || knownLatest > cursor || subscriber == nil {
            let batch = try source.read(ReplayRequest(after: cursor, limit: batchLimit))
            knownLatest = max(knownLatest, batch.latest)
            if !batch.events.isEmpty {
                try checkContiguous(batch.events)
                cursor = batch.events.last!.seq
                replayedEvents += batch.events.count
            }
            if cursor >= knownLatest { needReplay = false }
            if !batch.events.isEmpty || subscriber == nil { return batch.events }
            if needReplay { return [] }
        }
        guard let subscriber else { return [] }
        guard try subscriber.waitReadable(timeoutMs: timeoutMs) else { return [] }
        var out: [Event] = []
        out.reserveCapacity(64)
        // Frames are read in place: topic, then the canonical event (or a heartbeat's seq).
        var isHeartbeat = false, frames = 0
        var event: Event?
        var heartbeat: Int64?
        while out.count < batchLimit {
            frames = 0
            event = nil
            heartbeat = nil
            let got = try subscriber.receiveFrames(dontWait: true) { index, frame in
                frames += 1
                if index == 0 {
                    isHeartbeat = frame.count >= 4 && frame[0] == UInt8(ascii: "_") && frame[1] == UInt8(ascii: "H")
                        && frame[2] == UInt8(ascii: "B") && frame[3] == UInt8(ascii: "/")
                } else if index == 1 {
                    if isHeartbeat {
                        if frame.count == 8 { heartbeat = Int64(bitPattern: UInt64(bigEndian: frame.loadUnaligned(as: UInt64.self))) }
                    } else if let (e, n) = try? CanonicalEncoding.decode(frame), n == frame.count {
                        event = e
                    }
                }
            }
            guard got else { break }
            guard frames == 2 else { continue }
            if let latest = heartbeat {
                knownLatest = max(knownLatest, latest)
                if latest > cursor {
                    // Everything up to `latest` was sent before this heartbeat on the same socket, so
                    // anything not yet seen was dropped (or, taking heartbeats only, is to be read).
                    if live == .events { gapsDetected += 1 }
                    needReplay = true
                    break
                }
                continue
            }
            guard let event else { continue }
            if event.seq <= cursor { continue }
            if event.seq != cursor + 1 {
                gapsDetected += 1
                needReplay = true
                knownLatest = max(knownLatest, event.seq)
                break
            }
            out.append(event)
            cursor = event.seq
            knownLatest = max(knownLatest, event.seq)
        }
        return out
    }

    private func checkContiguous(_ events: [Event]) throws {
        var expected = cursor + 1
        for e in events {
            guard e.seq == expected else { throw WireFormatError("replay returned seq \(e.seq), expected \(expected)") }
            expected += 1
        }
    }

    /// The source's verified chain hashes at `start` and `end` (see `EventSource.takeVerifiedChain`).
    public func takeVerifiedChain(start: Int64, end: Int64) -> (start: [UInt8], end: [UInt8])? {
        source.takeVerifiedChain(start: start, end: end)
    }

    public func close() { subscriber?.close() }
}
