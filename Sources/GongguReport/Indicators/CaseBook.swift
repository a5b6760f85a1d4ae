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

    /// Sorts every list by region, household, person and date (the order of the CSV files) and counts
    /// cases per county, so a number for any prefix of up to 6 digits sums a few county counts.
    public mutating func seal() {
        byCounty = [:]
        for k in lists.keys {
            lists[k]!.sort {
                ($0.region, $0.householdID, $0.personID ?? "", $0.date, $0.detail)
                    < ($1.region, $1.householdID, $1.personID ?? "", $1.date, $1.detail)
                    || (($0.region, $0.householdID, $0.personID ?? "", $0.date, $0.detail)
                        == ($1.region, $1.householdID, $1.personID ?? "", $1.date, $1.detail)
                        && $0.events.lexicographicallyPrecedes($1.events))
            }
            var counts: [String: Int] = [:]
            for c in lists[k]! { counts[String(c.region.prefix(6)), default: 0] += 1 }
            byCounty[k] = counts
        }
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
