/// The topic prefixes the subscribers of a publisher hold, from the subscription messages an XPUB socket
/// passes up (`1` or `0`, then the prefix; libzmq passes the first subscription to a prefix and the last
/// unsubscription from it, a subscriber's disconnection included), and whether any of them wants events.
///
/// Followers that read their upstream's file subscribe to heartbeats only (`StreamFollower.Live`); while
/// nobody else subscribes, the publisher need not encode and send events that every subscriber's filter
/// would drop. Conservative: a prefix that could match an event topic (anything not under `_HB/`, the
/// empty prefix included) wants events, and so does a set grown past `limit` (a peer subscribing
/// without end) until the publisher restarts.
public struct Subscriptions: Sendable, Equatable {
    private var prefixes: Set<[UInt8]> = []
    private var eventPrefixes = 0
    private var overflowed = false
    private let limit: Int

    public init(limit: Int = 4096) { self.limit = limit }

    /// Whether some subscriber may take event messages.
    public var wantsEvents: Bool { overflowed || eventPrefixes > 0 }

    /// Applies one message received on the XPUB socket; anything else (empty, another first byte) is ignored.
    public mutating func apply(_ message: UnsafeRawBufferPointer) {
        guard let kind = message.first, kind <= 1 else { return }
        let prefix = Array(message.dropFirst())
        let isEvents = !Self.isHeartbeatPrefix(prefix)
        if kind == 1 {
            guard !prefixes.contains(prefix) else { return }
            guard prefixes.count < limit else {
                overflowed = true
                return
            }
            prefixes.insert(prefix)
            if isEvents { eventPrefixes += 1 }
        } else if prefixes.remove(prefix) != nil, isEvents {
            eventPrefixes -= 1
        }
    }

    private static let heartbeat = Array(WireFormat.heartbeatPrefix.utf8)

    private static func isHeartbeatPrefix(_ prefix: [UInt8]) -> Bool { prefix.starts(with: heartbeat) }
}
