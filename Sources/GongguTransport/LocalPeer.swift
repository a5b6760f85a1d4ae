import CZMQ
import Foundation

/// The account of a process connected over a Unix-domain socket (`ipc://`), as libzmq hands it to the
/// ZAP handler: on Linux the request's address frame is `:uid:gid:pid`, read by libzmq with
/// `getsockopt(SO_PEERCRED)` when the connection is accepted (the kernel's word, not the peer's).
public struct LocalPeer: Sendable, Equatable {
    public let uid: UInt32
    public let gid: UInt32
    public let pid: Int32

    /// Parses a ZAP address frame of an ipc connection; nil for anything else (tcp addresses).
    public init?(zapAddress: String) {
        guard zapAddress.hasPrefix(":") else { return nil }
        let parts = zapAddress.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let uid = UInt32(parts[0]), let gid = UInt32(parts[1]) else { return nil }
        self.uid = uid
        self.gid = gid
        pid = parts.count > 2 ? Int32(parts[2]) ?? 0 : 0
    }

    /// `uid:N(account)` — the name a command sent by this peer is recorded under. The account name is
    /// looked up at connection time and is for reading only; the number is what counts.
    public var name: String {
        guard let entry = getpwuid(uid_t(uid)), let account = entry.pointee.pw_name else { return "uid:\(uid)" }
        return "uid:\(uid)(\(String(cString: account)))"
    }
}

extension ZMQSocket {
    /// Asks the ZAP handler about every connection even without CURVE (NULL mechanism), so that an
    /// authenticator with `admitsLocalPeers` names each local peer by its uid (messages then carry it as
    /// User-Id). libzmq consults ZAP for NULL only when the socket has a ZAP domain.
    public func nameLocalPeers(_ authenticator: ZAPAuthenticator) throws {
        guard authenticator.isRunning, authenticator.admitsLocalPeers else {
            throw ZMQError(code: EINVAL, operation: "local peers without a running ZAP authenticator")
        }
        try set(ZMQ_ZAP_DOMAIN, string: authenticator.domain)
    }
}
