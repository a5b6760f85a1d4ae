import GongguCore

extension NotificationCreated {
    /// The `notificationID` of a `NotificationCreated` payload without decoding the rest of it (the
    /// texts and the embedded source payload are most of its bytes). The field table writes the id first
    /// and ids are printable ASCII without quotes or backslashes, so the id is the run of bytes after
    /// `{"notificationID":"` up to the next quote. Nil when the payload does not start that way
    /// (written by other code); callers then decode it in full.
    public static func notificationID(inPayload payload: [UInt8]) -> String? {
        let prefix = idPrefix
        guard payload.count > prefix.count + 1 else { return nil }
        return payload.withUnsafeBufferPointer { p -> String? in
            for i in 0..<prefix.count where p[i] != prefix[i] { return nil }
            var end = prefix.count
            while end < p.count, p[end] != UInt8(ascii: "\"") {
                let c = p[end]
                guard c > 0x20, c < 0x7f, c != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            guard end < p.count, end > prefix.count else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: p[prefix.count..<end]), as: UTF8.self)
        }
    }

    private static let idPrefix = Array(#"{"notificationID":""#.utf8)

    /// The notification id and recipient at the head of a payload this type wrote
    /// (`{"notificationID":"…","recipient":"…",…`), without decoding the rest; nil for any other shape.
    public static func idAndRecipient(inPayload payload: [UInt8]) -> (id: String, recipient: String)? {
        guard let id = notificationID(inPayload: payload) else { return nil }
        let start = idPrefix.count + id.utf8.count + recipientPrefix.count
        guard payload.count > start + 1 else { return nil }
        return payload.withUnsafeBufferPointer { p -> (String, String)? in
            let at = idPrefix.count + id.utf8.count
            for i in 0..<recipientPrefix.count where p[at + i] != recipientPrefix[i] { return nil }
            var end = start
            while end < p.count, p[end] != UInt8(ascii: "\"") {
                let c = p[end]
                guard c > 0x20, c < 0x7f, c != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            guard end < p.count, end > start else { return nil }
            return (id, String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self))
        }
    }

    private static let recipientPrefix = Array(#"","recipient":""#.utf8)
}
