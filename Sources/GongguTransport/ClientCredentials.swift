import Foundation

/// The CURVE credentials this process uses as a *client* of Gonggu's own TCP endpoints (control,
/// replay, publish): one key pair of its own and, per endpoint, the server's public key. Configured
/// once at start (a service from its configuration, the `gonggu` CLI from its services file and
/// `GONGGU_OPERATOR_KEY_FILE`); every `CommandClient` and `StreamFollower` made without explicit
/// credentials then takes them for a `tcp://` endpoint, so no caller has to thread keys through.
/// `ipc://` endpoints never use CURVE: their access is the file system's (docs/OPERATIONS.md §12).
public final class ClientCredentials: @unchecked Sendable {
    public static let shared = ClientCredentials()
    private let lock = NSLock()
    private var keys: CurveKeyPair?
    private var serverKeys: [String: String] = [:]

    public init() {}

    /// Sets the key pair this process authenticates with.
    public func setKeys(_ keys: CurveKeyPair?) {
        lock.lock()
        self.keys = keys
        lock.unlock()
    }

    /// Records the server public key of `endpoint` (exact endpoint text, as connected to).
    public func setServerKey(_ serverKey: String, for endpoint: String) {
        lock.lock()
        serverKeys[endpoint] = serverKey
        lock.unlock()
    }

    /// The credentials to connect to `endpoint` with: nil for a non-TCP endpoint, or when either the
    /// own key pair or the server's key is not configured (the connection then has no CURVE, and a
    /// CURVE server refuses it).
    public func curve(for endpoint: String) -> (CurveKeyPair, String)? {
        guard endpoint.hasPrefix("tcp://") else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let keys, let server = serverKeys[endpoint] else { return nil }
        return (keys, server)
    }
}
