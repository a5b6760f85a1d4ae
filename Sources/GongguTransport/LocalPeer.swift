import CZMQ
import Foundation

/// The account of a process connected over a Unix-domain socket (`ipc://`), as libzmq hands it to the
/// ZAP handler: on Linux the request's address frame is `localhost:uid:gid:pid` (libzmq 4.3.4; older
/// releases send `:uid:gid:pid`), read by libzmq with `getsockopt(SO_PEERCRED)` when the connection is
/// accepted — the kernel's word, not the peer's.
public struct LocalPeer: Sendable, Equatable {
    public let uid: UInt32
    public let gid: UInt32
    public let pid: Int32

    /// Parses a ZAP address frame of an ipc connection; nil for anything else (tcp addresses).
    public init?(zapAddress: String) {
        let parts = zapAddress.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "localhost" || parts[0].isEmpty, let uid = UInt32(parts[1]),
            let gid = UInt32(parts[2])
        else { return nil }
        self.uid = uid
        self.gid = gid
        pid = Int32(parts[3]) ?? 0
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
