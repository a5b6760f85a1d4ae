import CZMQ

/// A libzmq call failed. Carries errno and libzmq's text; never message contents.
public struct ZMQError: Error, CustomStringConvertible, Equatable {
    /// errno value reported by `zmq_errno()`.
    public let code: Int32
    /// The libzmq function that failed.
    public let operation: String

    /// Captures the current `zmq_errno()`.
    static func last(_ operation: String) -> ZMQError { ZMQError(code: zmq_errno(), operation: operation) }

    public var description: String { "\(operation): \(String(cString: zmq_strerror(code)))" }

    /// The call would block (EAGAIN) or timed out.
    public var isAgain: Bool { code == EAGAIN }
    /// The context was terminated (ETERM): the owner must close the socket and return.
    public var isTerminated: Bool { code == ETERM }
    /// Interrupted by a signal (EINTR): retry.
    public var isInterrupted: Bool { code == EINTR }
}
