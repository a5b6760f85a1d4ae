/// Every notification the fold created, in creation order: a notification's row is its ordinal, which
/// orders pending lists and escalation sweeps.
///
/// The notifier's hottest state: each notification is added once, looked up on every delivery and
/// acknowledgement. Records live in one array and are found through a small index (id → row), so a
/// growing index moves 20-byte entries instead of whole records, and a lookup touches the index and
/// one row. The rows of unacknowledged notifications are kept apart, for pending lists, overdue counts
/// and escalation sweeps that must not walk every notification ever made.
struct NotificationTable: Equatable {
    private(set) var rows: [NotificationRecord] = []
    private var rowOf: [NotificationKey: Int32] = [:]
    /// Rows of the notifications not yet acknowledged.
    private(set) var openRows: Set<Int32> = []

    /// Notifications ever created.
    var count: Int { rows.count }

    /// The row of the notification `key`, nil if unknown.
    func row(of key: NotificationKey) -> Int32? { rowOf[key] }

    /// The record of the notification `key`, nil if unknown.
    func record(_ key: NotificationKey) -> NotificationRecord? { rowOf[key].map { rows[Int($0)] } }

    /// The record in `row` (from `row(of:)` or `openRows`), changed in place when assigned through.
    subscript(row: Int32) -> NotificationRecord {
        get { rows[Int(row)] }
        _modify { yield &rows[Int(row)] }
    }

    /// Adds a new, open notification (its key must be new); returns its row.
    @discardableResult
    mutating func append(_ record: NotificationRecord) -> Int32 {
        let row = Int32(rows.count)
        rowOf[record.key] = row
        if record.open != nil { openRows.insert(row) }
        rows.append(record)
        return row
    }

    /// Drops the full payload of the notification in `row` (acknowledged): the record stays.
    mutating func close(_ row: Int32) {
        rows[Int(row)].open = nil
        openRows.remove(row)
    }

    /// Rows sorted by their notifications' ids (the state digest's order).
    var rowsByKey: [Int32] { (0..<Int32(rows.count)).sorted { rows[Int($0)].key < rows[Int($1)].key } }
}
