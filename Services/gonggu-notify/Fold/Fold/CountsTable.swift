/// Counts kept per name — a recipient id, a region code — found by the slot a notification's record
/// carries: counting a delivery or an acknowledgement indexes an array instead of hashing text.
struct CountsTable: Equatable {
    /// Names in the order their slots were made, and the counts of each slot.
    private(set) var names: [String] = []
    private(set) var counts: [NotifyCounts] = []
    private var slotOf: [String: Int32] = [:]

    init() {}

    /// A table of `names` with their `counts`, slots in that order (a snapshot's).
    init(names: [String], counts: [NotifyCounts]) {
        self.names = names
        self.counts = counts
        for (i, name) in names.enumerated() { slotOf[name] = Int32(i) }
    }

    /// The slot of `name`, made (with zero counts) on first use.
    mutating func slot(_ name: String) -> Int32 {
        if let slot = slotOf[name] { return slot }
        let slot = Int32(names.count)
        slotOf[name] = slot
        names.append(name)
        counts.append(NotifyCounts())
        return slot
    }

    /// The counts in `slot`, changed in place when assigned through.
    subscript(slot: Int32) -> NotifyCounts {
        get { counts[Int(slot)] }
        _modify { yield &counts[Int(slot)] }
    }

    /// The counts of `name`, nil when it has none.
    subscript(name: String) -> NotifyCounts? { slotOf[name].map { counts[Int($0)] } }

    /// Every name with its counts, sorted by name.
    var sorted: [(name: String, counts: NotifyCounts)] {
        names.indices.sorted { names[$0] < names[$1] }.map { (names[$0], counts[$0]) }
    }
}
