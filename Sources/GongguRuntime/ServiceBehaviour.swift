import GongguCore
import GongguTransport

/// What a service does with events; the host does logging, transport, shutdown and replay. It is one
/// fold port (with its snapshots) and three small edge components; a service implements what it needs
/// of each (every requirement but the fold port's first four has a default).
///
/// All methods except `handleCommand` run on the loop thread, which owns the log and the PUB socket.
public protocol ServiceBehaviour: FoldPort, SnapshotPort, CommandEdge, LoopEdge, LifecycleEdge {}

/// The fold port: the deterministic part the host replays. Inputs and upstream events go in, events to
/// append come out; the state's digest must be equal after replay of the same logs.
public protocol FoldPort: AnyObject {
    /// Whether an event of this type in the own log is an *input* (re-applied on rebuild, e.g. ticks,
    /// rule activations, acknowledgements) rather than an output.
    func isOwnInput(_ type: String) -> Bool
    /// Applies an input submitted through the inbox; returns what to append: usually the input itself
    /// followed by its outputs, or nothing (a duplicate).
    func process(input: Event) -> [Event]
    /// Applies one upstream event; returns the outputs.
    func apply(upstream event: Event, stream: String) -> [Event]
    /// Rebuild: an own-log input event, re-applied (outputs already in the log are discarded).
    func replayOwnInput(_ event: Event)
    /// Rebuild: an own-log output event (lets a service restore edge state, e.g. delivered ids).
    func replayOwnOutput(_ event: Event)
    /// Digest of the service state (equal after replay of the same logs).
    func stateDigest() -> String
    /// The log refused `events` that `process(input:)` returned (disk full, read-only disk): undo what
    /// processing them changed, so the state matches the log again and the same inputs are taken when
    /// submitted again. Return false when that cannot be done; the host then stops, so that a restart
    /// rebuilds the state by replay (a state ahead of its log would decide on inputs it never kept).
    func commitFailed(_ events: [Event]) -> Bool
    /// Whether the events this service derives name the upstream positions they were derived at
    /// (`UpstreamBasis`; default true). Only a service no other follows may leave them out.
    var recordsUpstreamBasis: Bool { get }
}

extension FoldPort {
    public func replayOwnOutput(_ event: Event) {}
    public func commitFailed(_ events: [Event]) -> Bool { false }
    public var recordsUpstreamBasis: Bool { true }
}

/// Snapshots of the fold port's state (`Snapshots`).
public protocol SnapshotPort: AnyObject {
    /// A copy of the state for a snapshot, taken on the loop thread, and a closure that encodes it (one
    /// JSON line) and computes its digest off that thread; nil when the service has no snapshots.
    func snapshot() -> (() -> (state: [UInt8], digest: String))?
    /// Start-up: takes the state of a snapshot (what `snapshot` encoded) if its digest is `digest`;
    /// throws, changing nothing, otherwise.
    func restore(snapshot: [UInt8], digest: String) throws
    /// Start-up, for a state whose digest takes long to recompute: takes the state of a snapshot and
    /// returns the computation of its digest (over a copy of the state as read), which the host runs off
    /// the loop thread while the start goes on, and compares with `digest` before the loop folds or
    /// appends anything (`ServiceHost.run`). Default: `restore`, which checks at once, and nil.
    func restoreCheckingLater(snapshot: [UInt8], digest: String) throws -> (@Sendable () -> String)?
    /// A snapshot whose state is written as it is encoded (`SnapshotStream`), taken on the loop thread
    /// like `snapshot`; nil (the default) when the service has only `snapshot`. The host prefers it:
    /// the encoded state is never held whole beside the fold.
    func streamingSnapshot() -> SnapshotStream?
}

/// A copy of a service's state for a snapshot that is encoded as it is written: `digest` computes the
/// state's digest (it goes in the header, written first), then `write` encodes the state into the
/// writer, which hands it to the file in pieces. Both run off the loop thread, one after the other.
public struct SnapshotStream {
    public let digest: () -> String
    public let write: (inout SnapshotBinaryWriter) -> Void

    public init(digest: @escaping () -> String, write: @escaping (inout SnapshotBinaryWriter) -> Void) {
        self.digest = digest
        self.write = write
    }
}

extension SnapshotPort {
    public func snapshot() -> (() -> (state: [UInt8], digest: String))? { nil }
    public func streamingSnapshot() -> SnapshotStream? { nil }
    public func restore(snapshot: [UInt8], digest: String) throws {
        throw Snapshots.Rejection.stateRefused("this service has no snapshots")
    }
    public func restoreCheckingLater(snapshot: [UInt8], digest: String) throws -> (@Sendable () -> String)? {
        try restore(snapshot: snapshot, digest: digest)
        return nil
    }
}

/// Edge: the service's own commands on the control socket.
public protocol CommandEdge: AnyObject {
    /// Service commands on the control socket (runs on the control thread; use `host.submit`).
    func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply?
}

extension CommandEdge {
    public func handleCommand(_ request: CommandRequest, host: ServiceHost) -> CommandReply? { nil }
}

/// Edge: sockets and timers of the service's own on the loop thread.
public protocol LoopEdge: AnyObject {
    /// Sockets owned by the loop thread to poll besides upstream subscriptions.
    var loopSockets: [ZMQSocket] { get }
    /// A loop socket is readable; returns own-input events to process and append.
    func loopSocketReadable(_ index: Int, host: ServiceHost) -> [Event]
    /// Called each loop iteration (timers on the loop thread).
    func onLoop(host: ServiceHost)
}

extension LoopEdge {
    public var loopSockets: [ZMQSocket] { [] }
    public func loopSocketReadable(_ index: Int, host: ServiceHost) -> [Event] { [] }
    public func onLoop(host: ServiceHost) {}
}

/// Edge: start, reload, stop, and what leaves the service after each commit.
public protocol LifecycleEdge: AnyObject {
    /// After start-up (state rebuilt, sockets bound): start edge servers of the service's own.
    func didStart(host: ServiceHost) throws
    /// SIGHUP: re-read what can change at run time (client and recipient keys).
    func reload(host: ServiceHost)
    /// Before the sockets close at shutdown.
    func willStop(host: ServiceHost)
    /// After each commit, with the recorded events, on the loop thread (edges: deliveries).
    func didCommit(_ events: [Event], host: ServiceHost)
}

extension LifecycleEdge {
    public func didStart(host: ServiceHost) throws {}
    public func reload(host: ServiceHost) {}
    public func willStop(host: ServiceHost) {}
    public func didCommit(_ events: [Event], host: ServiceHost) {}
}
