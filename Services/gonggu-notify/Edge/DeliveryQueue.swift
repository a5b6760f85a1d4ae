import GongguNotify

/// What the notifier still has to send one connected recipient over ZeroMQ, in order: each
/// notification once per connection.
///
/// Made at the recipient's hello from what it has pending; after that, each notification whose
/// creation commits joins it. With pipelined commits a notification is pending (the fold made it)
/// before its commit finishes, so one made before the hello is in the queue already when its commit
/// finishes: `committed` takes only those made after the hello.
struct DeliveryQueue {
    /// Creation order of the first notification made after the hello.
    private let firstAfterHello: Int
    private var ids: [NotificationKey]
    /// Ids before this index are sent (removed without moving the rest).
    private var head = 0

    init(pending: [NotificationKey], nextOrdinal: Int) {
        ids = pending
        firstAfterHello = nextOrdinal
    }

    var isEmpty: Bool { head == ids.count }

    /// A notification for this recipient whose creation committed; `ordinal` is its creation order.
    mutating func committed(_ key: NotificationKey, ordinal: Int) {
        if ordinal >= firstAfterHello { ids.append(key) }
    }

    /// A copy of up to `limit` ids from the front, still queued: the caller sends them and then removes
    /// what it sent, in place (a slice would share the storage and make that removal copy the queue).
    func front(_ limit: Int) -> [NotificationKey] { Array(ids[head..<min(ids.count, head + limit)]) }

    /// Removes `count` ids from the front (sent, or no longer open).
    mutating func removeFirst(_ count: Int) {
        head += count
        if head == ids.count {
            ids.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096 && head * 2 >= ids.count {
            // Compact once the sent part is large and at least half the array.
            ids.removeFirst(head)
            head = 0
        }
    }
}
