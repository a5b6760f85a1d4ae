import CZMQ
import Foundation

/// What the CURVE handshakes of one client socket came to, read from libzmq's socket monitor
/// (`zmq_socket_monitor`). A client otherwise cannot tell "nothing to receive" from "the server
/// refused my key": libzmq retries refused handshakes silently. The server's ZAP handler answers 400
/// for a key that is not (or no longer) admitted, and libzmq ≥ 4.3 sends that status to the client
/// (`ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`). A server key that does not match the server's secret key
/// never completes a handshake at all.
///
/// Owned by the thread that owns the monitored socket; `poll()` never blocks.
public final class HandshakeMonitor {
    /// A handshake with the server completed at least once.
    public private(set) var succeeded = false
    /// The ZAP status the server refused this client with (400: key unknown or revoked), if it did.
    public private(set) var refusedStatus: Int?
    /// Handshakes that failed for another reason (protocol, cryptography).
    public private(set) var failures = 0

    private let monitored: ZMQSocket
    private let pair: ZMQSocket

    /// Starts monitoring `socket`; call before `socket.connect`.
    public init(_ socket: ZMQSocket) throws {
        let endpoint = "inproc://gonggu-handshake-\(UUID().uuidString)"
        let events =
            ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
            | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
        guard zmq_socket_monitor(socket.handle, endpoint, Int32(events)) == 0 else {
            throw ZMQError.last("zmq_socket_monitor")
        }
        monitored = socket
        pair = try ZMQSocket(.pair, lingerMs: 0)
        try pair.connect(endpoint)
    }

    /// Reads the events that have arrived.
    public func poll() {
        while let message = try? pair.receiveMessage(dontWait: true) {
            // Frame 1: event (uint16) and value (uint32), native byte order; frame 2: the endpoint.
            guard let head = message.parts.first, head.count >= 6 else { continue }
            let event = head.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self)) }
            let value = head.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 2, as: UInt32.self)) }
            switch Int32(event) {
            case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: succeeded = true
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: refusedStatus = Int(value)
            default: failures += 1
            }
        }
    }

    /// Stops monitoring (before the monitored socket closes).
    public func close() {
        _ = zmq_socket_monitor(monitored.handle, nil, 0)
        pair.close()
    }
}
