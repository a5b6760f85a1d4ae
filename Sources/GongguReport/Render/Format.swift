import GongguCore

/// Number and text formatting shared by the HTML, SVG and CSV renderers. Integer arithmetic only, so
/// the output is the same on every machine and locale.
enum Format {
    /// `num / den` as a percentage with one decimal ("97.5%"), rounded half up but never to 100.0% below
    /// the whole nor to 0.0% above nothing; "—" when `den` is 0.
    static func percent(_ num: Int, _ den: Int) -> String {
        guard den > 0 else { return "—" }
        var pm = (num * 2000 + den) / (2 * den)
        // Never round a shortfall away (9,601 of 9,605 is not 100.0%), nor a few cases to nothing.
        if pm == 1000, num < den { pm = 999 }
        if pm == 0, num > 0 { pm = 1 }
        return "\(pm / 10).\(pm % 10)%"
    }

    /// Per-mille value of `num / den` (0 when `den` is 0), for chart geometry.
    static func perMille(_ num: Int, _ den: Int) -> Int { den > 0 ? (num * 2000 + den) / (2 * den) : 0 }

    /// An integer with thousands separators ("1,234,567").
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Escapes text for HTML and SVG (element content and attribute values).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `YYYY-MM-DD HH:MM` (China time) of a timestamp.
    static func instant(_ t: Int64) -> String {
        let shifted = t + 8 * 3_600_000
        let day = Int(shifted >= 0 ? shifted / 86_400_000 : (shifted - 86_399_999) / 86_400_000)
        let ms = Int(shifted - Int64(day) * 86_400_000)
        let h = ms / 3_600_000, m = ms % 3_600_000 / 60_000
        return "\(BusinessCalendar.dateText(ofDay: day)) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }
}
