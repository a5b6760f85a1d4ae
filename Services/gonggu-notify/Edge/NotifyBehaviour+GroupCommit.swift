import Foundation
import GongguCore
import GongguEvents
import GongguNotify
import GongguRuntime
import GongguTransport

/// Group commit of deliveries and acknowledgements (see `NotifyBehaviour`): receipts are applied to
/// the fold at once, queued per recipient, sealed into `NotificationReceipts` events and handed to the
/// next commit, or committed on their own once the oldest has waited `groupCommitWindow`.
extension NotifyBehaviour {
    /// Hands the queued own inputs to a commit the host is about to make (they count as logged from
    /// here: a refused commit of a consumed batch or of processed inputs stops the service for a
    /// rebuild from the log, or leaves them out of it like any refused input).
    func takeUnlogged() -> [Event] {
        sealReceipts()
        guard !unlogged.isEmpty else { return [] }
        let events = unlogged
        unlogged.removeAll(keepingCapacity: true)
        for e in events { unloggedIDs.remove(e.id) }
        return events
    }

    /// Applies a delivery or acknowledgement of `recipient` to the fold and queues it for the log.
    func receipt(_ entry: NotificationReceipts.Entry, recipient: String) {
        fold.applyReceipt(entry, recipient: recipient)
        if !hasUnlogged { unloggedSince = DispatchTime.now().uptimeNanoseconds }
        receipts.append(entry, recipient: recipient)
    }

    /// Seals the queued receipts into one `NotificationReceipts` event per recipient, queued for the log.
    func sealReceipts() {
        for event in receipts.seal() {
            unlogged.append(event)
            unloggedIDs.insert(event.id)
        }
    }

    /// Commits the queue on its own (nothing else came to carry it): `pipelined`, on the host's commit
    /// thread while the loop goes on (a refused commit then stops the service for a rebuild); otherwise
    /// at once, and on failure it stays queued, still applied, and the next commit takes it.
    func flushUnlogged(_ host: ServiceHost, pipelined: Bool = true) {
        sealReceipts()
        guard !unlogged.isEmpty else { return }
        let events = unlogged
        unlogged.removeAll()
        do {
            if pipelined { try host.appendInputsPipelined(events) } else { try host.appendInputs(events) }
            for e in events { unloggedIDs.remove(e.id) }
        } catch {
            unlogged = events + unlogged
        }
    }
}
