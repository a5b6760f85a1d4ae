/// Business dates in China Standard Time (UTC+8), as whole days, without Foundation's calendars
/// (folds must be fast and deterministic).
public enum BusinessCalendar {
    /// Milliseconds in a day.
    public static let dayMillis: Int64 = 86_400_000
    /// UTC+8 offset in milliseconds.
    public static let offsetMillis: Int64 = 8 * 3_600_000

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    @inlinable
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number.
    @inlinable
    public static func date(ofDay z0: Int) -> (year: Int, month: Int, day: Int) {
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

    /// Whether year/month/day is a real date.
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let days = [31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// Parses `YYYY-MM-DD` into a day number; nil when malformed or not a real date.
    public static func dayNumber(_ text: String) -> Int? {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            let y = digits(u, 0, 4), let m = digits(u, 5, 2), let d = digits(u, 8, 2),
            isValid(year: y, month: m, day: d)
        else { return nil }
        return dayNumber(year: y, month: m, day: d)
    }

    /// Parses `YYYY-MM` into a month number (year × 12 + month − 1); nil when malformed.
    public static func monthNumber(_ text: String) -> Int? {
        let u = Array(text.utf8)
        guard u.count >= 7, u[4] == UInt8(ascii: "-"), let y = digits(u, 0, 4), let m = digits(u, 5, 2),
            (1...12).contains(m)
        else { return nil }
        return y * 12 + m - 1
    }

    /// `YYYY-MM` of a month number.
    public static func monthText(_ month: Int) -> String {
        let y = month / 12, m = month % 12 + 1
        return "\(y)-\(m < 10 ? "0" : "")\(m)"
    }

    /// `YYYY-MM-DD` of a day number.
    public static func dateText(ofDay day: Int) -> String {
        let (y, m, d) = date(ofDay: day)
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    /// Month number of a day number.
    public static func monthNumber(ofDay day: Int) -> Int {
        let (y, m, _) = date(ofDay: day)
        return y * 12 + m - 1
    }

    /// The timestamp of 00:00 China time on `day`.
    public static func timestamp(ofDay day: Int) -> Timestamp { Int64(day) * dayMillis - offsetMillis }

    /// The business day (China time) of a timestamp.
    public static func day(of timestamp: Timestamp) -> Int {
        let shifted = timestamp + offsetMillis
        return Int(shifted >= 0 ? shifted / dayMillis : (shifted - dayMillis + 1) / dayMillis)
    }

    /// Whole years between a birth date and a day (age on that day); nil if the birth date is malformed.
    public static func age(birthDate: String, onDay day: Int) -> Int? {
        guard let b = dayNumber(birthDate) else { return nil }
        let (by, bm, bd) = date(ofDay: b)
        let (y, m, d) = date(ofDay: day)
        var age = y - by
        if m < bm || (m == bm && d < bd) { age -= 1 }
        return age
    }

    private static func digits(_ u: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var v = 0
        for i in start..<start + count {
            let c = u[i]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }
}
