import GongguCore

/// Publishes committed events on a PUB socket as `[topic, canonical event]`, plus heartbeats
/// carrying the latest seq. Owned by the thread that commits to the log (publish only after commit).
///
/// PUB drops messages for slow subscribers by design (high-water mark); subscribers detect that by
/// seq and heartbeats and fill gaps by replay, so nothing here waits for them.
///
/// The socket is an XPUB, which behaves as a PUB towards subscribers and passes their subscriptions
/// up (`Subscriptions`): while every subscriber takes heartbeats only (the services on this host read
/// the events from the log file), events are not encoded or sent at all.
public final class EventPublisher {
    public let stream: String
    private let socket: ZMQSocket
    private var scratch: [UInt8] = []
    private var topic: [UInt8] = []
    private var subscriptions = Subscriptions()
    /// Latest seq published (or announced by heartbeat).
    public private(set) var latest: Int64 = 0
    /// Events counted by `publish` that no subscriber wanted, so were not sent (a statistic).
    public private(set) var unsent = 0

    /// Binds the (X)PUB socket at `endpoint` (e.g. `tcp://127.0.0.1:7101`); with `curve`, a CURVE server
    /// that admits only the subscribers its authenticator allows.
    public init(
        stream: String, endpoint: String, sendHighWaterMark: Int32 = 100_000,
        curve: (CurveKeyPair, ZAPAuthenticator)? = nil, context: ZMQContext = .shared
    ) throws {
        self.stream = stream
        socket = try ZMQSocket(.xpub, context: context, lingerMs: 0)
        try socket.setHighWaterMarks(send: sendHighWaterMark)
        if let (keys, authenticator) = curve { try socket.makeCurveServer(keys, authenticator: authenticator) }
        try socket.bind(endpoint)
    }

    /// The bound endpoint (useful with port `*`).
    public func boundEndpoint() throws -> String { try socket.lastEndpoint() }

    /// Publishes committed events in order.
    public func publish(_ events: [Event]) throws {
        takeSubscriptions()
        guard subscriptions.wantsEvents else {
            unsent += events.count
            if let last = events.last { latest = max(latest, last.seq) }
            if !events.isEmpty { try heartbeat(latest: latest) }
            return
        }
        // The topic is built in a reused buffer: no string per event. (One copy of each event, as the
        // loop takes it: reading `events[i]` field by field copied the whole event at every read.)
        for event in events {
            topic.removeAll(keepingCapacity: true)
            topic.append(contentsOf: event.type.utf8)
            topic.append(UInt8(ascii: "/"))
            topic.append(contentsOf: event.region.utf8)
            scratch.removeAll(keepingCapacity: true)
            CanonicalEncoding.append(event, to: &scratch)
            try topic.withUnsafeBytes { try socket.send($0, more: true) }
            try scratch.withUnsafeBytes { try socket.send($0) }
            latest = max(latest, event.seq)
        }
        // Followers on the upstream's host take heartbeats only and read the events from the file.
        if !events.isEmpty { try heartbeat(latest: latest) }
    }

    /// Whether some subscriber takes events (not heartbeats only), from the subscriptions the socket
    /// has passed up so far.
    public var eventsWanted: Bool {
        takeSubscriptions()
        return subscriptions.wantsEvents
    }

    /// Applies the subscription messages the XPUB socket holds.
    private func takeSubscriptions() {
        while let got = try? socket.receiveFrames(dontWait: true, { [self] _, frame in subscriptions.apply(frame) }), got {}
    }

    /// Sends a heartbeat with `latest` (the log's last committed seq).
    public func heartbeat(latest: Int64) throws {
        takeSubscriptions()
        self.latest = max(self.latest, latest)
        try socket.send(parts: [WireFormat.heartbeatTopic(stream: stream), WireFormat.encodeSeq(self.latest)])
    }

    public func close() { socket.close() }
}
