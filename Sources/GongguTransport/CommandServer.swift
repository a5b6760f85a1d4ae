import Foundation
import GongguCore

/// A request received by a `CommandServer`: command name, body and the authenticated peer name
/// (CURVE + ZAP), if any.
public struct CommandRequest {
    public var command: String
    public var body: [UInt8]
    /// Any frames after the body.
    public var extra: [[UInt8]]
    public var peer: String?
}

/// A reply: status (`OK`, `EVENTS`, `ERROR`, …), JSON body and optional extra frames.
public struct CommandReply {
    public var status: String
    public var body: [UInt8]
    public var extra: [[UInt8]]

    public init(status: String, body: [UInt8], extra: [[UInt8]] = []) {
        self.status = status
        self.body = body
        self.extra = extra
    }

    /// An error reply with a stable code and an English message (never personal data).
    public static func error(_ code: String, _ message: String) -> CommandReply {
        var w = JSONWriter()
        w.beginObject()
        w.field("code", code)
        w.field("message", message)
        w.endObject()
        return CommandReply(status: "ERROR", body: w.bytes)
    }
}

/// A ROUTER socket on its own thread answering `[command, body, …]` requests one at a time.
///
/// The handler is made *on the server thread* by `makeHandler`, so anything it owns (a read-only
/// SQLite connection, say) lives on that one thread. A malformed frame costs an error reply, never a
/// crash.
public final class CommandServer: @unchecked Sendable {
    public typealias Handler = (CommandRequest) -> CommandReply

    private let endpoint: String
    private let makeHandler: () throws -> Handler
    private let curve: (CurveKeyPair, ZAPAuthenticator)?
    /// For an `ipc://` endpoint: names each local peer by its uid (`LocalPeer`).
    private let localPeers: ZAPAuthenticator?
    private let maxMessageSize: Int
    private let context: ZMQContext
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var startError: Error?
    private var bound: String = ""

    public init(
        endpoint: String, curve: (CurveKeyPair, ZAPAuthenticator)? = nil, localPeers: ZAPAuthenticator? = nil,
        maxMessageSize: Int = 1 << 20, context: ZMQContext = .shared, makeHandler: @escaping () throws -> Handler
    ) {
        self.endpoint = endpoint
        self.curve = curve
        self.localPeers = localPeers
        self.maxMessageSize = maxMessageSize
        self.context = context
        self.makeHandler = makeHandler
    }

    /// Starts the thread; returns once bound (or throws the bind error).
    public func start(name: String = "command-server") throws {
        let t = Thread { [self] in run() }
        t.name = name
        thread = t
        t.start()
        ready.wait()
        if let startError { throw startError }
    }

    /// The endpoint actually bound.
    public var boundEndpoint: String {
        lock.lock()
        defer { lock.unlock() }
        return bound
    }

    /// Stops the thread and waits for it to close its socket.
    public func stop() {
        lock.lock()
        let wasRunning = thread != nil && !stopping
        stopping = true
        lock.unlock()
        if wasRunning { finished.wait() }
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func run() {
        let socket: ZMQSocket
        let handler: Handler
        do {
            socket = try ZMQSocket(.router, context: context, lingerMs: 0, maxMessageSize: maxMessageSize)
            if let (keys, auth) = curve { try socket.makeCurveServer(keys, authenticator: auth) }
            if let localPeers { try socket.nameLocalPeers(localPeers) }
            try socket.bind(endpoint)
            let b = try socket.lastEndpoint()
            lock.lock()
            bound = b
            lock.unlock()
            handler = try makeHandler()
        } catch {
            startError = error
            ready.signal()
            finished.signal()
            return
        }
        ready.signal()
        defer {
            socket.close()
            finished.signal()
        }
        while !isStopping {
            do {
                guard try socket.waitReadable(timeoutMs: 50) else { continue }
                guard let message = try socket.receiveMessage() else { continue }
                // ROUTER prepends the peer's routing id; REQ peers add an empty delimiter.
                var parts = message.parts
                guard parts.count >= 1 else { continue }
                var envelope = [parts.removeFirst()]
                if let first = parts.first, first.isEmpty {
                    envelope.append(parts.removeFirst())
                }
                let reply: CommandReply
                if parts.count < 2 {
                    reply = .error("bad_request", "expected [command, body] frames")
                } else {
                    let request = CommandRequest(
                        command: String(decoding: parts[0], as: UTF8.self), body: parts[1],
                        extra: Array(parts.dropFirst(2)), peer: message.userID)
                    reply = handler(request)
                }
                try socket.send(parts: envelope + [Array(reply.status.utf8), reply.body] + reply.extra)
            } catch let e as ZMQError where e.isTerminated {
                return
            } catch {
                // A peer vanished mid-reply or sent garbage: keep serving the others.
                continue
            }
        }
    }
}
