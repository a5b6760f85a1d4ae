import CZMQ

/// Socket kinds Gonggu uses.
public enum ZMQSocketType: Int32, Sendable {
    case pair = 0, pub = 1, sub = 2, req = 3, rep = 4, dealer = 5, router = 6, xpub = 9
}

/// One libzmq socket. **Owned by exactly one thread**: create, use and close it on that thread.
/// Others talk to the owner through a queue; a mutex around a socket does not make it safe.
///
/// Every socket gets a bounded `ZMQ_LINGER` and a `ZMQ_MAXMSGSIZE` at creation, so shutdown never
/// hangs and a hostile peer cannot make us allocate without bound.
public final class ZMQSocket {
    let handle: UnsafeMutableRawPointer
    public let type: ZMQSocketType
    private var closed = false

    /// Most frames one message may have (a replay reply carries one frame per event).
    public static let maxParts = 8192

    /// Default limit on one incoming message part (bytes).
    public static let defaultMaxMessageSize = 16 << 20

    public init(
        _ type: ZMQSocketType, context: ZMQContext = .shared, lingerMs: Int32 = 200,
        maxMessageSize: Int = ZMQSocket.defaultMaxMessageSize
    ) throws {
        guard let h = zmq_socket(context.handle, type.rawValue) else { throw ZMQError.last("zmq_socket") }
        handle = h
        self.type = type
        try set(ZMQ_LINGER, lingerMs)
        try set(ZMQ_MAXMSGSIZE, Int64(maxMessageSize))
    }

    deinit { close() }

    /// Closes the socket (idempotent).
    public func close() {
        guard !closed else { return }
        closed = true
        zmq_close(handle)
    }

    // MARK: Options

    public func set(_ option: Int32, _ value: Int32) throws {
        var v = value
        guard zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("zmq_setsockopt(\(option))")
        }
    }

    public func set(_ option: Int32, _ value: Int64) throws {
        var v = value
        guard zmq_setsockopt(handle, option, &v, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError.last("zmq_setsockopt(\(option))")
        }
    }

    public func set(_ option: Int32, bytes: [UInt8]) throws {
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw ZMQError.last("zmq_setsockopt(\(option))") }
    }

    public func set(_ option: Int32, string: String) throws { try set(option, bytes: Array(string.utf8)) }

    /// Subscribes a SUB socket to a topic prefix ("" = everything).
    public func subscribe(_ prefix: String) throws { try set(ZMQ_SUBSCRIBE, string: prefix) }

    /// Send and receive high-water marks (messages queued per peer before PUB drops / others block).
    public func setHighWaterMarks(send: Int32? = nil, receive: Int32? = nil) throws {
        if let send { try set(ZMQ_SNDHWM, send) }
        if let receive { try set(ZMQ_RCVHWM, receive) }
    }

    /// Receive timeout for blocking receives (ms, -1 = forever).
    public func setReceiveTimeout(_ ms: Int32) throws { try set(ZMQ_RCVTIMEO, ms) }
    /// Send timeout for blocking sends (ms, -1 = forever).
    public func setSendTimeout(_ ms: Int32) throws { try set(ZMQ_SNDTIMEO, ms) }

    /// The endpoint actually bound (resolves `tcp://127.0.0.1:*`).
    public func lastEndpoint() throws -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError.last("zmq_getsockopt(LAST_ENDPOINT)")
        }
        return String(cString: buffer)
    }

    // MARK: Connections

    public func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError.last("zmq_bind(\(endpoint))") }
    }

    public func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError.last("zmq_connect(\(endpoint))") }
    }

    /// Publishes this socket's connection `events` (`ZMQ_EVENT_*`) on the inproc endpoint `address`,
    /// for a PAIR socket to read (`zmq_socket_monitor`).
    public func monitor(_ address: String, events: Int32) throws {
        guard zmq_socket_monitor(handle, address, events) == 0 else { throw ZMQError.last("zmq_socket_monitor") }
    }

    // MARK: Messages

    /// Sends one frame; `more` marks that further frames of the same message follow.
    /// Returns false when `dontWait` was set and the message could not be queued (EAGAIN).
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws -> Bool {
        var flags: Int32 = 0
        if more { flags |= ZMQ_SNDMORE }
        if dontWait { flags |= ZMQ_DONTWAIT }
        while true {
            if zmq_send(handle, bytes.baseAddress, bytes.count, flags) >= 0 { return true }
            let e = ZMQError.last("zmq_send")
            if e.isInterrupted { continue }
            if e.isAgain { return false }
            throw e
        }
    }

    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws -> Bool {
        try bytes.withUnsafeBytes { try send($0, more: more, dontWait: dontWait) }
    }

    /// Sends a multipart message.
    @discardableResult
    public func send(parts: [[UInt8]], dontWait: Bool = false) throws -> Bool {
        for (i, part) in parts.enumerated() {
            let ok = try send(part, more: i < parts.count - 1, dontWait: dontWait && i == 0)
            if !ok { return false }
        }
        return true
    }

    /// Receives one whole multipart message with the `zmq_msg_*` API (plain `zmq_recv` would
    /// truncate silently). Returns nil on timeout / EAGAIN. `userID` is the ZAP User-Id of the sending
    /// peer, when the socket authenticates (CURVE + ZAP).
    public func receiveMessage(dontWait: Bool = false) throws -> ReceivedMessage? {
        var parts: [[UInt8]] = []
        var userID: String?
        var msg = zmq_msg_t()
        while true {
            zmq_msg_init(&msg)
            let rc = zmq_msg_recv(&msg, handle, dontWait && parts.isEmpty ? ZMQ_DONTWAIT : 0)
            if rc < 0 {
                let e = ZMQError.last("zmq_msg_recv")
                zmq_msg_close(&msg)
                if e.isInterrupted { continue }
                if e.isAgain && parts.isEmpty { return nil }
                throw e
            }
            let size = zmq_msg_size(&msg)
            if let data = zmq_msg_data(&msg), size > 0 {
                parts.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                parts.append([])
            }
            if userID == nil, let uid = zmq_msg_gets(&msg, "User-Id") { userID = String(cString: uid) }
            let more = zmq_msg_more(&msg) != 0
            zmq_msg_close(&msg)
            if !more { return ReceivedMessage(parts: parts, userID: userID) }
            if parts.count > Self.maxParts { throw WireTooManyParts() }
        }
    }

    /// Receives one whole multipart message and hands each frame to `body` in place (no copy), with
    /// its index. Returns false on timeout / EAGAIN. For hot paths such as following a stream.
    public func receiveFrames(dontWait: Bool = false, _ body: (Int, UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        var msg = zmq_msg_t()
        var index = 0
        while true {
            zmq_msg_init(&msg)
            let rc = zmq_msg_recv(&msg, handle, dontWait && index == 0 ? ZMQ_DONTWAIT : 0)
            if rc < 0 {
                let e = ZMQError.last("zmq_msg_recv")
                zmq_msg_close(&msg)
                if e.isInterrupted { continue }
                if e.isAgain && index == 0 { return false }
                throw e
            }
            defer { zmq_msg_close(&msg) }
            let size = zmq_msg_size(&msg)
            try body(index, UnsafeRawBufferPointer(start: size > 0 ? zmq_msg_data(&msg) : nil, count: size))
            index += 1
            if zmq_msg_more(&msg) == 0 { return true }
            if index > Self.maxParts { throw WireTooManyParts() }
        }
    }

    /// Waits until this socket is readable, or the timeout (ms, -1 = forever) passes.
    public func waitReadable(timeoutMs: Int) throws -> Bool {
        try ZMQPoller.poll([self], timeoutMs: timeoutMs).first ?? false
    }
}

/// A whole multipart message as received.
public struct ReceivedMessage {
    public var parts: [[UInt8]]
    /// The authenticated peer's ZAP User-Id (Gonggu sets it to the configured client name).
    public var userID: String?
}

/// More than `ZMQSocket.maxParts` frames in one message: refused as hostile.
public struct WireTooManyParts: Error, CustomStringConvertible {
    public var description: String { "message has too many frames" }
}

/// `zmq_poll` over sockets owned by the calling thread.
public enum ZMQPoller {
    /// Returns, per socket, whether it is readable. `timeoutMs` -1 waits forever.
    public static func poll(_ sockets: [ZMQSocket], timeoutMs: Int) throws -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        while true {
            let rc = zmq_poll(&items, Int32(items.count), timeoutMs)
            if rc >= 0 { return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 } }
            let e = ZMQError.last("zmq_poll")
            if e.isInterrupted { continue }
            throw e
        }
    }
}
