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

    public init(
        stream: String, endpoint: String, timeoutMs: Int32 = 5000, curve: (CurveKeyPair, String)? = nil,
        context: ZMQContext = .shared
    ) {
        self.stream = stream
        self.endpoint = endpoint
        self.timeoutMs = timeoutMs
        self.curve = curve
        self.context = context
    }

    private func connected() throws -> ZMQSocket {
        if let socket { return socket }
        let s = try ZMQSocket(.dealer, context: context, lingerMs: 0, maxMessageSize: 64 << 20)
        if let (keys, serverKey) = curve { try s.makeCurveClient(keys, serverKey: serverKey) }
        try s.setReceiveTimeout(timeoutMs)
        try s.setSendTimeout(timeoutMs)
        try s.connect(endpoint)
        socket = s
        return s
    }

    /// Sends one command and waits for its reply. On timeout the socket is dropped (a late reply
    /// to an abandoned request must not be taken for the next one) and the error rethrown.
    public func call(_ command: String, body: [UInt8], extra: [[UInt8]] = []) throws -> (status: String, body: [UInt8], extra: [[UInt8]]) {
        let s = try connected()
        do {
            guard try s.send(parts: [Array(command.utf8), body] + extra) else {
                throw ZMQError(code: EAGAIN, operation: "send \(command)")
            }
            guard let reply = try s.receiveMessage(), reply.parts.count >= 2 else {
                throw ZMQError(code: EAGAIN, operation: "reply to \(command)")
            }
            return (String(decoding: reply.parts[0], as: UTF8.self), reply.parts[1], Array(reply.parts.dropFirst(2)))
        } catch {
            s.close()
            socket = nil
            throw error
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
        socket?.close()
        socket = nil
    }
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
