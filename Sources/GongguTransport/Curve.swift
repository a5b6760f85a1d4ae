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
    /// Makes this socket a CURVE server with `keys`. It then admits only clients the process's ZAP
    /// handler approves: **without a ZAP handler CURVE encrypts but admits any key**, which is why
    /// `ZAPAuthenticator` must be started before any server socket binds.
    /// libzmq 4.3 without the draft `ZMQ_ZAP_ENFORCE_DOMAIN` admits everyone when no handler is bound,
    /// so the running authenticator is a required argument rather than a convention.
    public func makeCurveServer(_ keys: CurveKeyPair, authenticator: ZAPAuthenticator, domain: String = "gonggu") throws {
        guard authenticator.isRunning else { throw ZMQError(code: EINVAL, operation: "CURVE server without ZAP") }
        try set(ZMQ_CURVE_SERVER, Int32(1))
        try set(ZMQ_CURVE_SECRETKEY, string: keys.secretKey)
        try set(ZMQ_ZAP_DOMAIN, string: domain)
    }

    /// Makes this socket a CURVE client of the server with public key `serverKey`.
    public func makeCurveClient(_ keys: CurveKeyPair, serverKey: String) throws {
        try set(ZMQ_CURVE_SERVERKEY, string: serverKey)
        try set(ZMQ_CURVE_PUBLICKEY, string: keys.publicKey)
        try set(ZMQ_CURVE_SECRETKEY, string: keys.secretKey)
    }
}

/// The ZAP handler (RFC 27) for this process: admits a CURVE client only when its public key is on
/// the allow-list, and tells the socket the client's name as ZAP User-Id so messages can be
/// attributed. Runs its own thread owning the `inproc://zeromq.zap.01` REP socket. The allow-list can
/// be replaced at any time (`update`), which is how key revocation takes effect without a restart.
public final class ZAPAuthenticator: @unchecked Sendable {
    private let lock = NSLock()
    /// Z85 public key → client name.
    private var allowed: [String: String]
    private var thread: Thread?
    private let context: ZMQContext
    private let ready = DispatchSemaphore(value: 0)
    private var stopping = false
    private var startError: Error?
    /// Called for each refused or admitted attempt (for logs); must be thread-safe.
    public var onDecision: (@Sendable (_ admitted: Bool, _ name: String?, _ address: String) -> Void)?

    public init(allowed: [String: String], context: ZMQContext = .shared) {
        self.allowed = allowed
        self.context = context
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

    /// Whether the handler thread has bound its socket and not been stopped.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running && !stopping
    }
    private var running = false

    /// Starts the handler thread and waits until its socket is bound. One per process (libzmq
    /// has one ZAP endpoint per context).
    public func start() throws {
        let t = Thread { [self] in run() }
        t.name = "zap"
        thread = t
        t.start()
        ready.wait()
        if let startError { throw startError }
    }

    /// Asks the thread to stop (it exits within its poll interval).
    public func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func run() {
        let socket: ZMQSocket
        do {
            socket = try ZMQSocket(.rep, context: context, lingerMs: 0)
            try socket.bind("inproc://zeromq.zap.01")
        } catch {
            startError = error
            ready.signal()
            return
        }
        lock.lock()
        running = true
        lock.unlock()
        ready.signal()
        defer {
            socket.close()
            lock.lock()
            running = false
            lock.unlock()
        }
        while !isStopping {
            do {
                guard try socket.waitReadable(timeoutMs: 100) else { continue }
                guard let request = try socket.receiveMessage() else { continue }
                try socket.send(parts: reply(to: request.parts))
            } catch let e as ZMQError where e.isTerminated {
                return
            } catch {
                continue
            }
        }
    }

    /// ZAP request frames: version, request id, domain, address, identity, mechanism, credentials….
    private func reply(to frames: [[UInt8]]) -> [[UInt8]] {
        func answer(_ status: String, _ text: String, user: String) -> [[UInt8]] {
            let requestID = frames.count > 1 ? frames[1] : []
            return [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(user.utf8), []]
        }
        guard frames.count >= 6, String(decoding: frames[0], as: UTF8.self) == "1.0" else {
            return answer("500", "bad ZAP request", user: "")
        }
        let address = String(decoding: frames[3], as: UTF8.self)
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        guard mechanism == "CURVE", frames.count >= 7, frames[6].count == 32 else {
            onDecision?(false, nil, address)
            return answer("400", "CURVE required", user: "")
        }
        var z85 = [CChar](repeating: 0, count: 41)
        _ = frames[6].withUnsafeBufferPointer { zmq_z85_encode(&z85, $0.baseAddress, 32) }
        let key = String(cString: z85)
        if let name = name(for: key) {
            onDecision?(true, name, address)
            return answer("200", "OK", user: name)
        }
        onDecision?(false, nil, address)
        return answer("400", "unknown key", user: "")
    }
}
