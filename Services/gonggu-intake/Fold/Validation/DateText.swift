/// Parsing of dates and months as offices write them: `2024-03-15`, `2024/3/15`, `2024.3.15`,
/// `2024年3月15日`, `20240315`, a trailing time of day (`2024/3/15 0:00`), and Excel serial
/// numbers (`45292` → 2024-01-01, what Excel writes when a date column is exported as General).
/// A business date (or the first day of a month) as a day number and as normalised text.
struct DayText: Equatable {
    /// Days since 1970-01-01.
    var days: Int
    /// `YYYY-MM-DD` or `YYYY-MM`.
    var text: String
}

enum DateText {
    /// Excel serial day 0 is 1899-12-30 (which absorbs Excel's fictitious 1900-02-29); as days
    /// since 1970-01-01 that is −25569.
    static let excelEpoch = -25_569
    /// Serial numbers accepted: five digits, up to 2099-12-31. Smaller numbers are more likely
    /// junk than dates before 1927.
    static let serialRange = 10_000...73_050

    static let dateHint = "请使用“2024-03-15”“2024/3/15”或“2024年3月15日”这样的日期格式。"
    static let monthHint = "请使用“2024-03”“202403”或“2024年3月”这样的年月格式。"

    /// A date: `(days since 1970-01-01, "YYYY-MM-DD")`.
    static func date(_ raw: Bytes) throws(Rejection) -> DayText {
        let (y, m, d) = try components(ByteText.trim(raw), month: false)
        return DayText(days: CivilDate.days(year: y, month: m, day: d), text: CivilDate.format(y, m, d))
    }

    /// A month: `(days of its first day, "YYYY-MM")`. A full date or a serial number is accepted
    /// too, because Excel turns a typed `2024-03` into the date 2024-03-01.
    static func month(_ raw: Bytes) throws(Rejection) -> DayText {
        let (y, m, _) = try components(ByteText.trim(raw), month: true)
        return DayText(days: CivilDate.days(year: y, month: m, day: 1), text: CivilDate.formatMonth(y, m))
    }

    private static func fail(_ month: Bool) -> Rejection {
        month
            ? Rejection("month.format", "无法识别为年月。" + monthHint)
            : Rejection("date.format", "无法识别为日期。" + dateHint)
    }

    private static func components(_ v: Bytes, month: Bool) throws(Rejection) -> (Int, Int, Int) {
        let n = v.count
        var i = 0
        func digits(_ i: inout Int) -> (value: Int, count: Int) {
            var value = 0, count = 0
            while i < n, ByteText.isDigit(v[i]), count < 9 {
                value = value * 10 + Int(v[i] &- 48)
                count += 1
                i += 1
            }
            return (value, count)
        }
        /// Consumes one separator; returns 1 for ASCII -/. , 2 for 年, 3 for 月, 0 for none.
        func separator(_ i: inout Int) -> Int {
            guard i < n else { return 0 }
            let b = v[i]
            if b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: ".") {
                i += 1
                return 1
            }
            if i + 2 < n, b == 0xE5, v[i + 1] == 0xB9, v[i + 2] == 0xB4 { i += 3; return 2 }  // 年
            if i + 2 < n, b == 0xE6, v[i + 1] == 0x9C, v[i + 2] == 0x88 { i += 3; return 3 }  // 月
            return 0
        }
        let g1 = digits(&i)
        guard g1.count > 0 else { throw fail(month) }
        if i == n || (g1.count == 5 && v[i] == UInt8(ascii: ".")) {
            switch g1.count {
            case 8:
                return try checked(g1.value / 10000, g1.value / 100 % 100, g1.value % 100, month)
            case 6 where month:
                return try checked(g1.value / 100, g1.value % 100, 1, month)
            case 5 where serialRange.contains(g1.value):
                if i < n {  // a fraction is the time of day: ignore it
                    i += 1
                    guard i < n, digits(&i).count > 0, i == n else { throw fail(month) }
                }
                let (y, m, d) = CivilDate.date(days: g1.value + excelEpoch)
                return (y, m, d)
            default:
                throw fail(month)
            }
        }
        guard g1.count == 4 else { throw fail(month) }
        let s1 = separator(&i)
        guard s1 == 1 || s1 == 2 else { throw fail(month) }
        let g2 = digits(&i)
        guard g2.count == 1 || g2.count == 2 else { throw fail(month) }
        if i == n {
            guard month else { throw fail(month) }
            return try checked(g1.value, g2.value, 1, month)
        }
        let s2 = separator(&i)
        if s2 == 3, i == n, month { return try checked(g1.value, g2.value, 1, month) }
        guard s2 == 1 && s1 == 1 || s2 == 3 && s1 == 2 else { throw fail(month) }
        let g3 = digits(&i)
        guard g3.count == 1 || g3.count == 2 else { throw fail(month) }
        if i + 2 < n, v[i] == 0xE6, v[i + 1] == 0x97, v[i + 2] == 0xA5 { i += 3 }  // 日
        if i < n {
            // A time of day after a space (Excel writes "2024/3/15 0:00"): digits, ':' and '.' only.
            guard v[i] == 0x20 || v[i] == UInt8(ascii: "T") else { throw fail(month) }
            i += 1
            while i < n, v[i] == 0x20 { i += 1 }
            var sawColon = false
            while i < n, ByteText.isDigit(v[i]) || v[i] == UInt8(ascii: ":") || v[i] == UInt8(ascii: ".") {
                if v[i] == UInt8(ascii: ":") { sawColon = true }
                i += 1
            }
            guard i == n, sawColon else { throw fail(month) }
        }
        return try checked(g1.value, g2.value, g3.value, month)
    }

    private static func checked(_ y: Int, _ m: Int, _ d: Int, _ month: Bool) throws(Rejection) -> (Int, Int, Int) {
        guard y >= 1900, y <= 2100 else {
            throw month
                ? Rejection("month.invalid", "年份\(y)超出合理范围（1900–2100）。" + monthHint)
                : Rejection("date.invalid", "年份\(y)超出合理范围（1900–2100）。" + dateHint)
        }
        guard CivilDate.isValid(year: y, month: m, day: d) else {
            throw month
                ? Rejection("month.invalid", "\(y)年\(m)月不是有效的年月（月份应为1–12）。" + monthHint)
                : Rejection("date.invalid", "\(y)年\(m)月\(d)日不是真实存在的日期。请核对后重新填写。")
        }
        return (y, m, d)
    }
}
