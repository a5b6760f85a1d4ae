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
    public mutating func seal() { seal(keeping: "") }

    /// `seal()` after keeping only the cases whose region starts with `prefix`. The lists are sealed
    /// on the available cores, one list per task.
    mutating func seal(keeping prefix: String) {
        let keys = Array(lists.keys)
        let sealed = inParallel(keys.count) { i -> ([Case], [String: Int]) in
            var list = lists[keys[i]]!
            if !prefix.isEmpty { list = list.filter { $0.region.hasPrefix(prefix) } }
            list = Self.sorted(list)
            // Sorted by region: count runs of equal regions, then add each run to its county.
            var counts: [String: Int] = [:]
            var start = 0
            for k in 1..<(list.count + 1) where k == list.count || list[k].region != list[start].region {
                counts[String(list[start].region.prefix(6)), default: 0] += k - start
                start = k
            }
            return (list, counts)
        }
        byCounty = [:]
        for (i, k) in keys.enumerated() {
            lists[k] = sealed[i].0
            byCounty[k] = sealed[i].1
        }
    }

    /// The cases in the order of `precedes`. Region and household are compared as integer keys
    /// (their bytes packed big-endian: for ASCII text the same order as the strings), so most
    /// comparisons never touch a string; equal keys and non-ASCII text fall back to `precedes`.
    static func sorted(_ cases: [Case]) -> [Case] {
        guard cases.count > 1 else { return cases }
        var keyed = cases.indices.map { (key: SortKey(cases[$0]), index: Int32($0)) }
        cases.withUnsafeBufferPointer { c in
            keyed.sort { a, b in
                if a.key.exact && b.key.exact && a.key.words != b.key.words { return a.key.words < b.key.words }
                return Self.precedes(c, Int(a.index), Int(b.index))
            }
        }
        return keyed.map { cases[Int($0.index)] }
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

/// A case's region (16 bytes) and household id (24 bytes) packed big-endian into five words, zero
/// padded. `exact` when both are ASCII without NUL and fit: then comparing the words orders them as
/// `String` does (byte order, a prefix first), and equal words mean equal strings.
struct SortKey {
    var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
    var exact = true

    init(_ c: Case) {
        var w = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        exact = withUnsafeMutablePointer(to: &w) { t in
            t.withMemoryRebound(to: UInt64.self, capacity: 5) { p in
                Self.pack(c.region, p, words: 2) && Self.pack(c.householdID, p + 2, words: 3)
            }
        }
        words = w
    }

    private static func pack(_ s: String, _ w: UnsafeMutablePointer<UInt64>, words: Int) -> Bool {
        // Native strings are contiguous UTF-8: read in place (others are never exact).
        s.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count <= words * 8 else { return false }
            for (i, b) in bytes.enumerated() {
                guard b != 0, b < 0x80 else { return false }
                w[i >> 3] |= UInt64(b) << UInt64(56 - 8 * (i & 7))
            }
            return true
        } ?? false
    }
}
