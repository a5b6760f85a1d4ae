import GongguCore

/// Typed entry points for the two own inputs the edge writes in bulk (one per notification sent, one
/// per acknowledgement received). The edge builds these payloads itself; going through `apply(_:)`
/// would encode them into the event and decode them straight back. Each makes exactly the change
/// `apply(_:)` makes for the event carrying `payload` with `occurredAt` — the log holds that event,
/// and replay applies it through `apply(_:)`, so live state and replayed state agree.
extension NotifyFold {
    /// Same as `apply(_:)` on a `NotificationDelivered` event (which has no outputs).
    public mutating func applyDelivered(_ payload: NotificationDelivered, occurredAt: Timestamp) {
        onDelivered(payload, at: occurredAt)
    }

    /// Same as `apply(_:)` on a `NotificationAcknowledged` event (which has no outputs).
    public mutating func applyAcknowledged(_ payload: NotificationAcknowledged, occurredAt: Timestamp) {
        onAcknowledged(payload.notificationID, by: payload.recipient, at: occurredAt, explicit: true)
    }
}
