import GongguCore

/// A region row of the tables: the report's region, then its prefectures and counties.
public struct RegionRow: Sendable, Equatable {
    public var code: String
    /// 0 for the report's own region, 1 below it, 2 below that.
    public var depth: Int
    public var name: String
}

/// Everything a report shows, computed by `ReportFold.finish`: the year, region, the log cut-offs and
/// the case lists every number is counted from.
public struct ReportData: Sendable {
    public let period: ReportPeriod
    public let regionPrefix: String
    public let cuts: [LogCut]
    public let rule: CutoffRule
    public let book: CaseBook
    public let names: RegionNames

    /// Report data over a sealed case book (`ReportFold.finish` builds it; tests and tools may too).
    public init(
        period: ReportPeriod, regionPrefix: String, cuts: [LogCut], rule: CutoffRule, book: CaseBook,
        names: RegionNames
    ) {
        self.period = period
        self.regionPrefix = regionPrefix
        self.cuts = cuts
        self.rule = rule
        self.book = book
        self.names = names
    }

    /// The report's region (the prefix, or "全部地区" when empty), its prefectures and its counties, in
    /// code order (each county under its prefecture). Only regions with cases appear below the first.
    public var regions: [RegionRow] {
        let own = regionPrefix.isEmpty ? "全部地区" : names.name(regionPrefix)
        var rows = [RegionRow(code: regionPrefix, depth: 0, name: own)]
        let counties = book.counties.filter { $0.hasPrefix(regionPrefix) }
        if regionPrefix.count < 4 {
            var seen = Set<String>()
            for c in counties {
                let pref = String(c.prefix(4))
                if seen.insert(pref).inserted, pref != regionPrefix {
                    rows.append(RegionRow(code: pref, depth: 1, name: names.name(pref)))
                }
                if c != pref { rows.append(RegionRow(code: c, depth: 2, name: names.name(c))) }
            }
        } else if regionPrefix.count < 6 {
            for c in counties where c != regionPrefix { rows.append(RegionRow(code: c, depth: 1, name: names.name(c))) }
        }
        return rows
    }

    /// County rows only (for the continuity chart).
    public var countyRows: [RegionRow] {
        regionPrefix.count >= 6 ? [regions[0]] : regions.filter { $0.code.count == 6 }
    }

    /// The number of `indicator` in region `code`.
    public func count(_ indicator: Indicator, _ code: String) -> Int { book.count(indicator, in: code) }

    /// Cases of `indicator` per month of the year (12 values), by the case date.
    public func monthly(_ indicator: Indicator) -> [Int] {
        var out = [Int](repeating: 0, count: 12)
        for c in book.cases(indicator) {
            if let m = c.month, period.contains(month: m) { out[m - period.firstMonth] += 1 }
        }
        return out
    }

    /// Cases of `indicator` per response class (7 values), by `days`.
    public func responseHistogram(_ indicator: Indicator) -> [Int] {
        var out = [Int](repeating: 0, count: ResponseClass.allCases.count)
        for c in book.cases(indicator) { if let d = c.days { out[ResponseClass(days: d).rawValue] += 1 } }
        return out
    }

    /// Open findings of `kind` per age class (5 values).
    public func ageHistogram(_ kind: FindingKind) -> [Int] {
        var out = [Int](repeating: 0, count: AgeClass.allCases.count)
        for c in book.cases(.openFindings(kind)) { if let d = c.days { out[AgeClass(days: d).rawValue] += 1 } }
        return out
    }

    /// Median of `days` over the cases of `indicator`, nil when none.
    public func medianDays(_ indicator: Indicator) -> Int? {
        let d = book.cases(indicator).compactMap(\.days).sorted()
        return d.isEmpty ? nil : d[(d.count - 1) / 2]
    }
}
