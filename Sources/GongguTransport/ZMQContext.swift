import CZMQ

/// The process-wide libzmq context. Contexts are thread-safe; sockets are not (see `ZMQSocket`).
public final class ZMQContext: @unchecked Sendable {
    /// The shared context every Gonggu socket in this process is made from.
    public static let shared = ZMQContext()

    let handle: UnsafeMutableRawPointer

    public init() {
        handle = zmq_ctx_new()!
        // Sockets created here default to a bounded linger (see ZMQSocket), so terminating the
        // context cannot hang shutdown ("ZMQ_LINGER defaults to infinite and zmq_ctx_term then blocks").
        _ = zmq_ctx_set(handle, ZMQ_BLOCKY, 0)
    }

    /// Whether this libzmq build supports CURVE security.
    public static var hasCurve: Bool { zmq_has("curve") != 0 }

    /// libzmq's version as `major.minor.patch`.
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }

    /// Makes every blocking call on every socket of this context return ETERM, so owner threads exit.
    public func shutdown() { zmq_ctx_shutdown(handle) }
}
