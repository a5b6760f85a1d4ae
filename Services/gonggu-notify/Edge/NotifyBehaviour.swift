import Foundation
import GongguCore
import GongguEvents
import GongguNotify
import GongguRuntime
import GongguTransport

/// The notifier service: `NotifyFold` for routing, acknowledgement and escalation state, and the
/// edges that meet other organisations — the CURVE-authenticated recipient socket (owned by the loop
/// thread), daily outbox files, HTTP webhooks, and forwarding bureau decisions to intake.
///
/// Deliveries and acknowledgements are events in the notifier's log (`NotificationReceipts`, one per
/// recipient per commit): at-least-once on the wire, exactly-once in effect by notification id.
///
/// **Group commit of deliveries and acknowledgements.** The edge applies each receipt to the fold when
/// it happens and queues it under its recipient. The queue, sealed into one `NotificationReceipts`
/// event per recipient (`unlogged`), goes into the log in front of whatever the loop commits next —
/// the next consumed upstream batch (`apply(upstream:)`), the next processed input (`process(input:)`:
/// ticks, bureau decisions, directory activations) — or on its own once its oldest receipt has waited
/// `groupCommitWindow` (on the host's commit thread with `log.pipelined_commits`, while the loop goes on;
/// at a graceful stop, at once). So a busy loop turn makes one durable commit instead
/// of three, with about one log row per notification instead of three; the order in the log is the
/// order in which the fold saw everything, up to receipts of different recipients, which concern
/// different notifications (replay rebuilds the same state). What a crash loses is at most the last
/// window's acknowledgements: those notifications are sent again on reconnect, which the protocol
/// allows (docs/RELIABILITY.md). Webhook deliveries, recorded by the webhook thread through the inbox,
/// stay single `NotificationDelivered` events.
public final class NotifyBehaviour: ServiceBehaviour {
    var fold = NotifyFold()
    let config: Config
    var activatedDirectories = Set<String>()

    // Recipient edge (loop thread only).
    var router: ZMQSocket?
    var authenticator: ZAPAuthenticator?
    /// Recipient id → ZeroMQ routing id of its live connection.
    var connections: [String: [UInt8]] = [:]
    /// Recipient id → monotonic ns of its last message (any: hello, ack, decision, ping). A recipient
    /// counts as connected while heard from within `aliveNanoseconds` (`recipients.alive_seconds`):
    /// a client that went away without a word stops counting, though its connection entry stays.
    var lastHeard: [String: UInt64] = [:]
    let aliveNanoseconds: UInt64
    /// Recipient id → notifications still to send on the current connection, in order.
    var sendQueues: [String: DeliveryQueue] = [:]
    /// Deliveries and acknowledgements applied to the fold and not yet sealed into events.
    var receipts = ReceiptQueue()
    /// Sealed receipt events not yet in the log (a refused commit leaves them here); the ids of those not
    /// yet committed (`process(input:)` must not apply them twice).
    var unlogged: [Event] = []
    var unloggedIDs = Set<EventID>()
    /// Monotonic ns when the oldest receipt not in the log was queued.
    var unloggedSince: UInt64 = 0
    /// Whether a receipt waits for a commit.
    var hasUnlogged: Bool { !receipts.isEmpty || !unlogged.isEmpty }
    /// Longest an acknowledgement waits for a commit to ride in, and the most receipts that wait.
    let groupCommitWindow: UInt64 = 20_000_000
    let groupCommitLimit = 20_000
    /// Ids of the bureau decisions logged (an id derives from the frame's bytes, so a frame sent again is
    /// known here). An input whose id the log already holds would fail the append of the whole batch —
    /// losing every other input read with it.
    var decisionInputs = Set<EventID>()
    var forwarder: DecisionForwarder?
    var webhooks: WebhookSender?
    var outboxDirectory: String?
    /// When `overdueNotifications` was last counted for the status board.
    var overdueCountedAt = Date.distantPast
    /// Most notifications sent to one recipient per loop turn (keeps the loop responsive).
    let sendBurst = 2000

    public init(config: Config) {
        self.config = config
        // Checked at start (`didStart`: a bad value exits 78 there).
        let alive = (try? config.int("recipients.alive_seconds", default: 90)) ?? 90
        aliveNanoseconds = UInt64(min(86_400, max(1, alive))) * 1_000_000_000
    }

    public func isOwnInput(_ type: String) -> Bool { NotifyFold.ownInputTypes.contains(type) }

    public func process(input: Event) -> [Event] {
        // A queued delivery or acknowledgement being committed on its own: the fold has it already.
        if unloggedIDs.contains(input.id) { return [input] }
        note(input)
        return takeUnlogged() + [input] + fold.apply(input)
    }

    /// The queued own inputs ride in the consumed batch's commit, before its outputs: the fold applied
    /// them before this upstream event, and replay (own inputs by type, then the marker's range) applies
    /// them in that order too.
    public func apply(upstream event: Event, stream: String) -> [Event] {
        if !hasUnlogged { return fold.apply(event) }
        return takeUnlogged() + fold.apply(event)
    }

    public func replayOwnInput(_ event: Event) {
        note(event)
        _ = fold.apply(event)
    }

    func note(_ event: Event) {
        if event.type == BureauDecisionSubmitted.eventType { decisionInputs.insert(event.id) }
        if event.type == DirectoryActivated.eventType, let d = try? event.decode(DirectoryActivated.self) {
            activatedDirectories.insert(d.sha256)
        }
    }

    public func stateDigest() -> String { fold.stateDigest() }

    /// No service follows the notifier: its own events need not name the upstream positions they came
    /// from (a notification's `source` still carries the `basis` of the risk decision or finding).
    public var recordsUpstreamBasis: Bool { false }
}
