import GongguCore

/// One household, person, finding or notification behind a number, with the events that put it there.
public struct Case: Sendable, Equatable {
    /// 12-digit region code of the household.
    public var region: String
    public var householdID: String
    /// Resident ID of the person, for person counts (masked when rendered).
    public var personID: String?
    /// The events behind the case, most decisive first.
    public var events: [EventID]
    /// Business date `YYYY-MM-DD` of the decisive event (monthly series and ages are read from it).
    public var date: String
    /// Days: a finding's age at year end, or a response time; nil when not applicable.
    public var days: Int?
    /// Chinese detail (measure, finding type, class), may be empty.
    public var detail: String

    public init(
        region: String, householdID: String, personID: String? = nil, events: [EventID], date: String,
        days: Int? = nil, detail: String = ""
    ) {
        self.region = region
        self.householdID = householdID
        self.personID = personID
        self.events = events
        self.date = date
        self.days = days
        self.detail = detail
    }

    /// Month number of `date`, if it is a date.
    public var month: Int? { BusinessCalendar.monthNumber(date) }
}

/// The case lists of every indicator. Every number of the report is the count of one list's cases
/// under a region prefix, so every number traces to households by construction.
public struct CaseBook: Sendable {
    public private(set) var lists: [Indicator: [Case]] = [:]
    /// Case counts per indicator and county (6-digit prefix), filled by `seal()`.
    private var byCounty: [Indicator: [String: Int]] = [:]

    public init() {}

    public mutating func add(_ indicator: Indicator, _ c: Case) { lists[indicator, default: []].append(c) }

    /// Replaces the cases of `indicator`.
    public mutating func set(_ indicator: Indicator, _ cases: [Case]) { lists[indicator] = cases }

    /// Sorts every list by region, household, person, date, detail and events (the order of the CSV
    /// files: a total order, so the output never depends on dictionary order) and counts cases per
    /// county, so a number for any prefix of up to 6 digits sums a few county counts.
    public mutating func seal() {
        byCounty = [:]
        for k in Array(lists.keys) {
            let unsorted = lists.removeValue(forKey: k)!
            // Sort positions, not cases: moving a case costs a dozen retains, comparing reads in place.
            let order = unsorted.withUnsafeBufferPointer { cases in
                Array(0..<Int32(cases.count)).sorted { Self.precedes(cases, Int($0), Int($1)) }
            }
            let list = order.map { unsorted[Int($0)] }
            var counts: [String: Int] = [:]
            for c in list { counts[String(c.region.prefix(6)), default: 0] += 1 }
            byCounty[k] = counts
            lists[k] = list
        }
    }

    /// The case order, field by field with an early exit (most pairs differ in region or household);
    /// fields are read in place, never copying a whole case.
    static func precedes(_ c: UnsafeBufferPointer<Case>, _ i: Int, _ j: Int) -> Bool {
        if c[i].region != c[j].region { return c[i].region < c[j].region }
        if c[i].householdID != c[j].householdID { return c[i].householdID < c[j].householdID }
        if c[i].personID != c[j].personID { return (c[i].personID ?? "") < (c[j].personID ?? "") }
        if c[i].date != c[j].date { return c[i].date < c[j].date }
        if c[i].detail != c[j].detail { return c[i].detail < c[j].detail }
        return c[i].events.lexicographicallyPrecedes(c[j].events)
    }

    /// The cases of `indicator` (empty when none).
    public func cases(_ indicator: Indicator) -> [Case] { lists[indicator] ?? [] }

    /// The number shown for `indicator` in region `prefix` (after `seal()`).
    public func count(_ indicator: Indicator, in prefix: String) -> Int {
        guard let l = lists[indicator] else { return 0 }
        if prefix.isEmpty { return l.count }
        if prefix.count > 6 { return l.reduce(0) { $0 + ($1.region.hasPrefix(prefix) ? 1 : 0) } }
        var n = 0
        for (county, k) in byCounty[indicator] ?? [:] where county.hasPrefix(prefix) { n += k }
        return n
    }

    /// County codes (6-digit prefixes) that have at least one case of any indicator, ascending.
    public var counties: [String] { Set(byCounty.values.flatMap(\.keys)).sorted() }
}
