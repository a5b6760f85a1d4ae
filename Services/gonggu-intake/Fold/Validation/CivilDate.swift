import GongguCore

/// Calendar arithmetic on the proleptic Gregorian calendar, without Foundation (fast, and no
/// time-zone surprises): business dates are calendar days in China Standard Time.
public enum CivilDate {
    /// Whether the date exists.
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        BusinessCalendar.isValid(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (the core's `BusinessCalendar`, Hinnant's `days_from_civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        BusinessCalendar.dayNumber(year: year, month: month, day: day)
    }

    /// The date of a day number (inverse of `days`).
    public static func date(days z0: Int) -> (year: Int, month: Int, day: Int) { BusinessCalendar.date(ofDay: z0) }

    /// Midnight China Standard Time (UTC+8) of a day number, in milliseconds since the epoch.
    public static func chinaMidnight(days: Int) -> Int64 { BusinessCalendar.timestamp(ofDay: days) }

    /// `YYYY-MM-DD` (a small string: no heap allocation).
    static func format(_ y: Int, _ m: Int, _ d: Int) -> String {
        String(unsafeUninitializedCapacity: 10) { out in
            out[0] = UInt8(48 + y / 1000 % 10); out[1] = UInt8(48 + y / 100 % 10)
            out[2] = UInt8(48 + y / 10 % 10); out[3] = UInt8(48 + y % 10)
            out[4] = 45; out[5] = UInt8(48 + m / 10); out[6] = UInt8(48 + m % 10)
            out[7] = 45; out[8] = UInt8(48 + d / 10); out[9] = UInt8(48 + d % 10)
            return 10
        }
    }

    /// `YYYY-MM`.
    static func formatMonth(_ y: Int, _ m: Int) -> String {
        String(unsafeUninitializedCapacity: 7) { out in
            out[0] = UInt8(48 + y / 1000 % 10); out[1] = UInt8(48 + y / 100 % 10)
            out[2] = UInt8(48 + y / 10 % 10); out[3] = UInt8(48 + y % 10)
            out[4] = 45; out[5] = UInt8(48 + m / 10); out[6] = UInt8(48 + m % 10)
            return 7
        }
    }
}
