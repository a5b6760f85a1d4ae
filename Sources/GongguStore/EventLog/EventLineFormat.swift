import GongguCore

/// One-line renderings of events for operators' tools (`gonggu log tail`), with personal data
/// masked: the subject and every resident-ID-like digit run in the payload (`PersonalDataMask`).
public enum EventLineFormat {
    /// `seq  time  type  region  subject  payload`, tab-separated; time is the recorded time in
    /// China Standard Time (ISO 8601 with +08:00).
    public static func line(_ event: Event) -> String {
        [
            String(event.seq), isoCST(event.recordedAt), event.type, event.region,
            PersonalDataMask.maskText(event.subject), PersonalDataMask.maskText(event.payloadText),
        ].joined(separator: "\t")
    }

    /// `2026-01-01T08:00:00.000+08:00` for the instant `ms` milliseconds after 1970-01-01T00:00Z.
    public static func isoCST(_ ms: Timestamp) -> String {
        let local = ms + 8 * 3_600_000
        let days = local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000
        let msOfDay = local - days * 86_400_000
        let (y, m, d) = civil(fromDays: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(msOfDay / 3_600_000, 2)):"
            + "\(pad(msOfDay / 60_000 % 60, 2)):\(pad(msOfDay / 1000 % 60, 2)).\(pad(msOfDay % 1000, 3))+08:00"
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `civil_from_days`).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
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
}
