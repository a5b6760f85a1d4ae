import GongguCore

/// Instants as investigators type and read them: China Standard Time (UTC+8), the business calendar's
/// zone. `YYYY-MM-DD` alone means the start of that day for a lower bound and its end for an upper
/// bound or an as-of instant ("as known at the end of that day").
public enum InstantText {
    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.mmm]]` or `YYYY-MM-DDTHH:MM[:SS[.mmm]]` (CST), or a
    /// whole number of milliseconds since 1970. `endOfDay` applies to a bare date.
    public static func parse(_ text: String, endOfDay: Bool) -> Timestamp? {
        if text.count >= 12, text.allSatisfy(\.isNumber) { return Timestamp(text) }
        let date = String(text.prefix(10))
        guard let day = BusinessCalendar.dayNumber(date) else { return nil }
        let start = BusinessCalendar.timestamp(ofDay: day)
        guard text.count > 10 else { return endOfDay ? start + BusinessCalendar.dayMillis - 1 : start }
        let sep = text[text.index(text.startIndex, offsetBy: 10)]
        guard sep == "T" || sep == " " else { return nil }
        let clock = text.dropFirst(11)
        let parts = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        var millis: Int64 = 0
        if parts.count == 3 {
            let sec = parts[2].split(separator: ".", omittingEmptySubsequences: false)
            guard let s = Int(sec[0]), (0..<60).contains(s), sec.count <= 2 else { return nil }
            millis = Int64(s) * 1000
            if sec.count == 2 {
                let frac = String(sec[1].prefix(3))
                guard let f = Int(frac), !frac.isEmpty else { return nil }
                millis += Int64(f) * Int64([100, 10, 1][frac.count - 1])
            }
        }
        return start + Int64(h) * 3_600_000 + Int64(m) * 60_000 + millis
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm` in CST.
    public static func format(_ t: Timestamp) -> String {
        let day = BusinessCalendar.day(of: t)
        let within = t - BusinessCalendar.timestamp(ofDay: day)
        let h = within / 3_600_000
        let m = within / 60_000 % 60
        let s = within / 1000 % 60
        let ms = within % 1000
        return BusinessCalendar.dateText(ofDay: day) + " " + pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "."
            + pad(ms, 3)
    }

    /// `YYYY-MM-DD` (CST business date).
    public static func date(_ t: Timestamp) -> String { BusinessCalendar.dateText(ofDay: BusinessCalendar.day(of: t)) }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
