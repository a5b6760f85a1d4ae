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
        let (y, m, d) = BusinessCalendar.date(ofDay: Int(days))
        func pad(_ v: some BinaryInteger, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(msOfDay / 3_600_000, 2)):"
            + "\(pad(msOfDay / 60_000 % 60, 2)):\(pad(msOfDay / 1000 % 60, 2)).\(pad(msOfDay % 1000, 3))+08:00"
    }
}
