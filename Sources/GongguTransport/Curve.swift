import CZMQ
import Foundation

/// A CURVE key pair in Z85 text (40 characters each).
public struct CurveKeyPair: Sendable, Equatable {
    public let publicKey: String
    public let secretKey: String

    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A fresh key pair from libzmq (libsodium's random source).
    public static func generate() throws -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else { throw ZMQError.last("zmq_curve_keypair") }
        return CurveKeyPair(publicKey: String(cString: pub), secretKey: String(cString: sec))
    }

    /// The public key belonging to a Z85 secret key.
    public static func publicKey(forSecret secret: String) throws -> String {
        var pub = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&pub, secret) == 0 else { throw ZMQError.last("zmq_curve_public") }
        return String(cString: pub)
    }

    /// Whether `key` is well-formed Z85 of a 32-byte key.
    public static func isValidKey(_ key: String) -> Bool {
        guard key.utf8.count == 40 else { return false }
        var out = [UInt8](repeating: 0, count: 32)
        return zmq_z85_decode(&out, key) != nil
    }
}

extension ZMQSocket {
    /// Makes this socket a CURVE server with `keys`. It then admits only clients `authenticator`
    /// approves: **without a ZAP handler CURVE encrypts but admits any key**, which is why the
    /// authenticator must be running before any server socket binds. The socket's ZAP domain is the
    /// authenticator's own, so the process's one ZAP handler asks this authenticator's allow-list.
    /// libzmq 4.3 without the draft `ZMQ_ZAP_ENFORCE_DOMAIN` admits everyone when no handler is bound,
    /// so the running authenticator is a required argument rather than a convention.
    public func makeCurveServer(_ keys: CurveKeyPair, authenticator: ZAPAuthenticator) throws {
        guard authenticator.isRunning else { throw ZMQError(code: EINVAL, operation: "CURVE server without ZAP") }
        try set(ZMQ_CURVE_SERVER, Int32(1))
        try set(ZMQ_CURVE_SECRETKEY, string: keys.secretKey)
        try set(ZMQ_ZAP_DOMAIN, string: authenticator.domain)
    }

    /// Makes this socket a CURVE client of the server with public key `serverKey`.
    public func makeCurveClient(_ keys: CurveKeyPair, serverKey: String) throws {
        try set(ZMQ_CURVE_SERVERKEY, string: serverKey)
        try set(ZMQ_CURVE_PUBLICKEY, string: keys.publicKey)
        try set(ZMQ_CURVE_SECRETKEY, string: keys.secretKey)
    }
}

/// One allow-list of CURVE clients (RFC 27 ZAP): admits a client only when its public key is on the
/// list, and tells the socket the client's name as ZAP User-Id so messages can be attributed. The
/// allow-list can be replaced at any time (`update`), which is how key revocation takes effect without
/// a restart.
///
/// libzmq has **one** ZAP endpoint, `inproc://zeromq.zap.01`, per context, and every Gonggu socket of a
/// process comes from `ZMQContext.shared`; so one handler thread per context (`ZAPHandler`) owns that
/// endpoint for the life of the context, and authenticators register with it under a ZAP domain of
/// their own. Starting and stopping an authenticator therefore binds and releases nothing: any number
/// run side by side (several hosts in one test process), a start right after a stop cannot find the
/// endpoint still taken, and `stop()` returns once no further client is admitted by this list.
public final class ZAPAuthenticator: @unchecked Sendable {
    private let lock = NSLock()
    /// Z85 public key → client name.
    private var allowed: [String: String]
    private let context: ZMQContext
    private var handler: ZAPHandler?
    /// The ZAP domain of the sockets this authenticator serves (`makeCurveServer` sets it), unique in
    /// the process.
    public let domain: String
    private static let counter = UniqueCounter()
    /// Called for each refused or admitted attempt (for logs); must be thread-safe.
    public var onDecision: (@Sendable (_ admitted: Bool, _ name: String?, _ address: String) -> Void)?
    /// Whether peers on a Unix-domain socket (`ipc://`) are admitted without CURVE, under the User-Id
    /// `uid:N(name)` from the kernel's `SO_PEERCRED` (`LocalPeer`). Who may reach such a socket at all is
    /// decided by the file system (the runtime directory's group); this only names them.
    public let admitsLocalPeers: Bool

    public init(allowed: [String: String], admitsLocalPeers: Bool = false, context: ZMQContext = .shared) {
        self.allowed = allowed
        self.admitsLocalPeers = admitsLocalPeers
        self.context = context
        domain = "gonggu.\(Self.counter.next())"
    }

    /// Replaces the allow-list (public key → client name).
    public func update(allowed: [String: String]) {
        lock.lock()
        self.allowed = allowed
        lock.unlock()
    }

    /// Whether `publicKey` is currently admitted, and under which name.
    public func name(for publicKey: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return allowed[publicKey]
    }

    /// Whether the authenticator is started and not stopped.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return handler != nil
    }

    /// Registers with the context's ZAP handler, starting that handler (and waiting until its endpoint
    /// is bound) if this is the first authenticator of the context.
    public func start() throws {
        lock.lock()
        let started = handler != nil
        lock.unlock()
        guard !started else { return }
        let h = try ZAPHandler.running(for: context)
        h.register(self)
        lock.lock()
        handler = h
        lock.unlock()
    }

    /// Unregisters from the handler. When it returns, every later ZAP request for this domain is
    /// refused: sockets still open with this authenticator admit no new client.
    public func stop() {
        lock.lock()
        let h = handler
        handler = nil
        lock.unlock()
        h?.unregister(self)
    }

    /// The ZAP reply to a request for this authenticator's domain. Frames: version, request id, domain,
    /// address, identity, mechanism, credentials….
    func reply(to frames: [[UInt8]]) -> [[UInt8]] {
        let address = String(decoding: frames[3], as: UTF8.self)
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        if admitsLocalPeers, mechanism == "NULL", let peer = LocalPeer(zapAddress: address) {
            onDecision?(true, peer.name, address)
            return ZAPHandler.answer(frames, "200", "OK", user: peer.name)
        }
        guard mechanism == "CURVE", frames.count >= 7, frames[6].count == 32 else {
            onDecision?(false, nil, address)
            return ZAPHandler.answer(frames, "400", "CURVE required", user: "")
        }
        var z85 = [CChar](repeating: 0, count: 41)
        _ = frames[6].withUnsafeBufferPointer { zmq_z85_encode(&z85, $0.baseAddress, 32) }
        let key = String(cString: z85)
        if let name = name(for: key) {
            onDecision?(true, name, address)
            return ZAPHandler.answer(frames, "200", "OK", user: name)
        }
        onDecision?(false, nil, address)
        return ZAPHandler.answer(frames, "400", "unknown key", user: "")
    }
}

/// A thread-safe counter for unique names in this process (authenticator domains, monitor addresses).
final class UniqueCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// The ZAP handler of one ZeroMQ context: a thread owning the REP socket bound to
/// `inproc://zeromq.zap.01` for as long as the context lives (libzmq allows one per context), which
/// answers each request with the decision of the authenticator registered for the request's domain, and
/// refuses requests for any other domain — including those of a stopped authenticator. The socket is
/// created, used and closed on that thread only; it has `ZMQ_LINGER` 0. The thread blocks in receive
/// and ends when the context is shut down (ETERM).
final class ZAPHandler: @unchecked Sendable {
    static let endpoint = "inproc://zeromq.zap.01"
    private static let registryLock = NSLock()
    /// Context handle → its running handler.
    nonisolated(unsafe) private static var handlers: [UnsafeMutableRawPointer: ZAPHandler] = [:]

    private let lock = NSLock()
    private var authenticators: [String: ZAPAuthenticator] = [:]

    /// The running handler of `context`, started now if there is none (waits until it is bound).
    static func running(for context: ZMQContext) throws -> ZAPHandler {
        registryLock.lock()
        defer { registryLock.unlock() }
        if let h = handlers[context.handle] { return h }
        let h = ZAPHandler()
        try h.start(context)
        handlers[context.handle] = h
        return h
    }

    func register(_ authenticator: ZAPAuthenticator) {
        lock.lock()
        authenticators[authenticator.domain] = authenticator
        lock.unlock()
    }

    func unregister(_ authenticator: ZAPAuthenticator) {
        lock.lock()
        if authenticators[authenticator.domain] === authenticator { authenticators[authenticator.domain] = nil }
        lock.unlock()
    }

    private func authenticator(for domain: String) -> ZAPAuthenticator? {
        lock.lock()
        defer { lock.unlock() }
        return authenticators[domain]
    }

    private func start(_ context: ZMQContext) throws {
        let ready = DispatchSemaphore(value: 0)
        var startError: Error?
        let t = Thread { [self] in
            let socket: ZMQSocket
            do {
                socket = try ZMQSocket(.rep, context: context, lingerMs: 0)
                try socket.bind(Self.endpoint)
            } catch {
                startError = error
                ready.signal()
                return
            }
            ready.signal()
            serve(socket)
            socket.close()
            Self.registryLock.lock()
            if Self.handlers[context.handle] === self { Self.handlers[context.handle] = nil }
            Self.registryLock.unlock()
        }
        t.name = "zap"
        t.start()
        ready.wait()
        if let startError { throw startError }
    }

    /// Answers requests until the context is shut down.
    private func serve(_ socket: ZMQSocket) {
        while true {
            do {
                guard let request = try socket.receiveMessage() else { continue }
                try socket.send(parts: reply(to: request.parts))
            } catch let e as ZMQError where e.isTerminated {
                return
            } catch {
                // Not seen in practice (REP drops a reply whose peer is gone); never spin on an error.
                _ = try? socket.waitReadable(timeoutMs: 100)
            }
        }
    }

    private func reply(to frames: [[UInt8]]) -> [[UInt8]] {
        guard frames.count >= 6, String(decoding: frames[0], as: UTF8.self) == "1.0" else {
            return Self.answer(frames, "500", "bad ZAP request", user: "")
        }
        let domain = String(decoding: frames[2], as: UTF8.self)
        guard let authenticator = authenticator(for: domain) else {
            return Self.answer(frames, "400", "no authenticator for this domain", user: "")
        }
        return authenticator.reply(to: frames)
    }

    /// A ZAP reply: version, request id, status code, status text, user id, metadata.
    static func answer(_ frames: [[UInt8]], _ status: String, _ text: String, user: String) -> [[UInt8]] {
        let requestID = frames.count > 1 ? frames[1] : []
        return [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(user.utf8), []]
    }
}
