import Foundation
import GongguCore
import GongguNotify
import GongguTransport

/// The bureau side of the notifier's recipient protocol (docs/PROTOCOL.md §1): a CURVE DEALER that
/// says `hello`, reads notifications and replies, and acknowledges. `gonggu recipient`, the end-to-end
/// tests and the notifier benchmark all talk to the notifier through it; each keeps its own loop
/// (printing, collecting, timing) over `receive` or over `socket` directly.
public final class RecipientClient {
    public let socket: ZMQSocket
    /// Tells a refused key and a wrong server key from "nothing to receive" (with `monitorsHandshakes`).
    public let handshakes: HandshakeMonitor?

    /// Connects and says hello.
    public init(
        keys: CurveKeyPair, serverKey: String, endpoint: String, lingerMs: Int32 = 1000,
        maxMessageSize: Int = 4 << 20, monitorsHandshakes: Bool = false
    ) throws {
        socket = try ZMQSocket(.dealer, lingerMs: lingerMs, maxMessageSize: maxMessageSize)
        do {
            try socket.makeCurveClient(keys, serverKey: serverKey)
            handshakes = monitorsHandshakes ? try HandshakeMonitor(socket) : nil
            try socket.connect(endpoint)
            try hello()
        } catch {
            socket.close()
            throw error
        }
    }

    /// `{"type":"hello"}`: (re)announces the recipient; the notifier re-sends what is not acknowledged.
    public func hello() throws { try send(RecipientMessage.hello.encoded()) }

    /// Acknowledges one notification by id.
    public func ack(_ id: String) throws { try send(RecipientMessage.ack(id: id).encoded()) }

    /// Acknowledges notifications as received (one message each).
    public func ack(_ notifications: [JSONValue]) throws {
        for n in notifications { try ack(n["id"]?.stringValue ?? "") }
    }

    /// Sends one message as it is (a decision, or a deliberately malformed message in tests).
    public func send(_ message: [UInt8]) throws { try socket.send(message) }

    /// The next message within `timeoutMs`: its bytes and, when it is JSON, its value; nil if none came.
    public func receive(timeoutMs: Int) throws -> (body: [UInt8], value: JSONValue?)? {
        guard try socket.waitReadable(timeoutMs: timeoutMs), let m = try socket.receiveMessage(dontWait: true),
            let body = m.parts.last
        else { return nil }
        return (body, try? JSONValue.parse(body))
    }

    /// Collects notifications until `count` arrived, `quiet` seconds pass without any message, or `timeout`.
    public func collect(atLeast count: Int = Int.max, quiet: TimeInterval = 1.5, timeout: TimeInterval = 30) throws
        -> [JSONValue]
    {
        var got: [JSONValue] = []
        let deadline = Date().addingTimeInterval(timeout)
        var last = Date()
        while Date() < deadline && got.count < count && Date().timeIntervalSince(last) < quiet {
            guard let m = try receive(timeoutMs: 50), let v = m.value else { continue }
            last = Date()
            if v["type"]?.stringValue == "notification" { got.append(v) }
        }
        return got
    }

    /// The next message that is no notification: its `type`, or its `code` for an error; "none" if nothing
    /// came within `timeout` seconds.
    public func nextReply(timeout: TimeInterval = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let m = try receive(timeoutMs: 50), let v = m.value, let type = v["type"]?.stringValue,
                type != "notification"
            else { continue }
            return type == "error" ? v["code"]?.stringValue ?? "error" : type
        }
        return "none"
    }

    public func close() {
        handshakes?.close()
        socket.close()
    }
}
