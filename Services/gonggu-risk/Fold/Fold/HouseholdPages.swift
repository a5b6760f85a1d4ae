/// The households' states by slot, in pages of `pageSize` states: what one array of a million
/// states would cost, without its growth. An array grows by copying itself into one twice as large,
/// so at 600,000 households its last growth held 2 × 524,288 states at once (the process's peak), and
/// its spare capacity was up to as large again as its contents; and a fold copied for a snapshot
/// shares its storage until the loop's next change, which then copied every state. Pages grow one
/// at a time, and a change copies only its page.
struct HouseholdPages: RandomAccessCollection {
    static let pageShift = 10
    static let pageSize = 1 << pageShift

    private var pages: [[HouseholdState]] = []
    private(set) var count = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(slot: Int) -> HouseholdState {
        get { pages[slot >> Self.pageShift][slot & (Self.pageSize - 1)] }
        _modify { yield &pages[slot >> Self.pageShift][slot & (Self.pageSize - 1)] }
    }

    mutating func append(_ state: HouseholdState) {
        if count & (Self.pageSize - 1) == 0 {
            var page: [HouseholdState] = []
            page.reserveCapacity(Self.pageSize)
            pages.append(page)
        }
        pages[pages.count - 1].append(state)
        count += 1
    }

    mutating func reserveCapacity(_ n: Int) {
        pages.reserveCapacity((n + Self.pageSize - 1) >> Self.pageShift)
    }
}
