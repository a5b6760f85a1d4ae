import GongguCore

/// The business calendar of one report year: its first and last day and month (China time).
public struct ReportPeriod: Sendable, Equatable {
    /// The calendar year reported on.
    public let year: Int
    /// Day number of 1 January (`BusinessCalendar` day numbers).
    public let firstDay: Int
    /// Day number of 31 December.
    public let lastDay: Int

    public init(year: Int) {
        self.year = year
        firstDay = BusinessCalendar.dayNumber(year: year, month: 1, day: 1)
        lastDay = BusinessCalendar.dayNumber(year: year, month: 12, day: 31)
    }

    /// Month number of January (year × 12).
    public var firstMonth: Int { year * 12 }
    /// Month number of December.
    public var lastMonth: Int { year * 12 + 11 }
    /// 00:00 China time on 1 January, as a timestamp.
    public var start: Timestamp { BusinessCalendar.timestamp(ofDay: firstDay) }
    /// 00:00 China time on 1 January of the next year: the first instant after the year.
    public var end: Timestamp { BusinessCalendar.timestamp(ofDay: lastDay + 1) }

    /// 00:00 China time on 1 December of the year before: payments for that month tell which subsidies
    /// were active at the start of the year (continuity, docs/REPORT.md).
    public var runUpStart: Timestamp {
        BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(year: year - 1, month: 12, day: 1))
    }
    /// Whether a business timestamp falls in the year.
    public func contains(_ t: Timestamp) -> Bool { t >= start && t < end }
    /// Whether a month number falls in the year.
    public func contains(month m: Int) -> Bool { m >= firstMonth && m <= lastMonth }
    /// Whether a business timestamp is on or before 31 December of the year.
    public func byYearEnd(_ t: Timestamp) -> Bool { t < end }
}
