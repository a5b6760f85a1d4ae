import Dispatch
import CZMQ
import Foundation
import GongguCore

/// Talks to a service's command endpoint (DEALER → ROUTER): replays a remote log (as an `EventSource`)
/// and sends commands (status, import, tick …). Owned by one thread.
public final class CommandClient: EventSource {
    public let stream: String
    private let endpoint: String
    private var socket: ZMQSocket?
    private let timeoutMs: Int32
    private let curve: (CurveKeyPair, String)?
    private let context: ZMQContext
    /// Whether a dropped connection ends a wait at once (`CommandPeerLost`) instead of at the timeout.
    private let watchesConnection: Bool
    /// Reads the DEALER's connection events when `watchesConnection`.
    private var monitor: ZMQSocket?
    /// The connection dropped since the socket was made: a request sent before may be lost.
    private var lostConnection = false
    private static let monitorCounter = UniqueCounter()

    /// - Parameter watchesConnection: end a call as soon as the connection to the service drops
    ///   (`CommandPeerLost`), however long its timeout: for commands that legitimately take long
    ///   (an import's last batches) yet must not outwait a service that died.
    public init(
        stream: String, endpoint: String, timeoutMs: Int32 = 5000, curve: (CurveKeyPair, String)? = nil,
        context: ZMQContext = .shared, watchesConnection: Bool = false
    ) {
        self.stream = stream
        self.endpoint = endpoint
        self.timeoutMs = timeoutMs
        self.curve = curve ?? ClientCredentials.shared.curve(for: endpoint)
        self.context = context
        self.watchesConnection = watchesConnection
    }

    private func connected() throws -> ZMQSocket {
        if let socket { return socket }
        let s = try ZMQSocket(.dealer, context: context, lingerMs: 0, maxMessageSize: 64 << 20)
        if let (keys, serverKey) = curve { try s.makeCurveClient(keys, serverKey: serverKey) }
        try s.setReceiveTimeout(timeoutMs)
        try s.setSendTimeout(timeoutMs)
        if watchesConnection {
            let address = "inproc://gonggu-command-monitor-\(getpid())-\(Self.monitorCounter.next())"
            try s.monitor(address, events: ZMQ_EVENT_DISCONNECTED)
            let m = try ZMQSocket(.pair, context: context, lingerMs: 0)
            try m.connect(address)
            monitor = m
            lostConnection = false
        }
        try s.connect(endpoint)
        socket = s
        return s
    }

    /// Sends one command and waits for its reply, at most `timeoutMs` (default: the client's). On
    /// timeout or a lost connection the socket is dropped (a late reply to an abandoned request must
    /// not be taken for the next one) and the error rethrown: `ZMQError` with `isAgain` on timeout,
    /// `CommandPeerLost` when the connection dropped (only with `watchesConnection`).
    public func call(
        _ command: String, body: [UInt8], extra: [[UInt8]] = [], timeoutMs callTimeout: Int32? = nil
    ) throws -> (status: String, body: [UInt8], extra: [[UInt8]]) {
        let s = try connected()
        let limit = callTimeout ?? timeoutMs
        do {
            try s.setSendTimeout(limit)
            try s.setReceiveTimeout(limit)
            try checkConnection()
            guard try s.send(parts: [Array(command.utf8), body] + extra) else {
                throw ZMQError(code: EAGAIN, operation: "send \(command)")
            }
            if let monitor {
                try waitForReply(s, monitor: monitor, limitMs: limit, command: command)
            }
            guard let reply = try s.receiveMessage(), reply.parts.count >= 2 else {
                throw ZMQError(code: EAGAIN, operation: "reply to \(command)")
            }
            return (String(decoding: reply.parts[0], as: UTF8.self), reply.parts[1], Array(reply.parts.dropFirst(2)))
        } catch {
            close()
            throw error
        }
    }

    /// Throws `CommandPeerLost` when the monitor reported a dropped connection since the socket was made.
    private func checkConnection() throws {
        guard let monitor else { return }
        // A monitor event is two frames: 16-bit event number and 32-bit value, then the endpoint.
        while let event = try monitor.receiveMessage(dontWait: true) {
            if let first = event.parts.first, first.count >= 2,
                Int32(first[0]) | Int32(first[1]) << 8 == ZMQ_EVENT_DISCONNECTED
            {
                lostConnection = true
            }
        }
        if lostConnection { throw CommandPeerLost(endpoint: endpoint) }
    }

    /// Waits until `socket` is readable, the connection drops, or `limitMs` passed.
    private func waitForReply(_ socket: ZMQSocket, monitor: ZMQSocket, limitMs: Int32, command: String) throws {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, limitMs)) * 1_000_000
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { throw ZMQError(code: EAGAIN, operation: "reply to \(command)") }
            let remainingMs = Int((deadline - now) / 1_000_000) + 1
            let ready = try ZMQPoller.poll([socket, monitor], timeoutMs: remainingMs)
            if ready[0] { return }
            if ready[1] { try checkConnection() }
        }
    }

    public func read(_ request: ReplayRequest) throws -> EventBatch {
        let reply = try call("REPLAY", body: request.json)
        guard reply.status == "EVENTS" else {
            throw RemoteError(status: reply.status, body: String(decoding: reply.body, as: UTF8.self))
        }
        var latest: Int64 = 0, scanned: Int64 = request.after
        try JSONReader.read(reply.body) { r in
            try r.readObject { r, k in
                switch k {
                case "latest": latest = Int64(try r.readInt())
                case "scannedTo": scanned = Int64(try r.readInt())
                default: try r.skipValue()
                }
            }
        }
        let events = try reply.extra.map { try CanonicalEncoding.decode($0) }
        return EventBatch(events: events, scannedTo: scanned, latest: latest)
    }

    public func close() {
        monitor?.close()
        monitor = nil
        socket?.close()
        socket = nil
    }
}

/// The connection to a service dropped while a command waited for its reply (the service stopped or
/// died): the request may or may not have been carried out.
public struct CommandPeerLost: Error, CustomStringConvertible {
    /// The service's endpoint.
    public let endpoint: String
    public var description: String { "connection to \(endpoint) lost" }
}


/// The remote side answered with an error status.
public struct RemoteError: Error, CustomStringConvertible {
    public let status: String
    public let body: String
    public var description: String { "remote replied \(status): \(body)" }
}

extension EventBatch {
    /// Encodes a batch as a replay reply (`EVENTS`, {latest, scannedTo}, events…).
    public var reply: CommandReply {
        var w = JSONWriter()
        w.beginObject()
        w.field("latest", Int(latest))
        w.field("scannedTo", Int(scannedTo))
        w.field("count", events.count)
        w.endObject()
        return CommandReply(status: "EVENTS", body: w.bytes, extra: events.map { CanonicalEncoding.encode($0) })
    }
}
