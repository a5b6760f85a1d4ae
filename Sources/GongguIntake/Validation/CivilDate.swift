/// Calendar arithmetic on the proleptic Gregorian calendar, without Foundation (fast, and no
/// time-zone surprises): business dates are calendar days in China Standard Time.
public enum CivilDate {
    /// Whether the date exists.
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard month >= 1, month <= 12, day >= 1 else { return false }
        return day <= daysIn(year: year, month: month)
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (inverse of `days`).
    public static func date(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Midnight China Standard Time (UTC+8) of a day number, in milliseconds since the epoch.
    public static func chinaMidnight(days: Int) -> Int64 { Int64(days) * 86_400_000 - 8 * 3_600_000 }

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
