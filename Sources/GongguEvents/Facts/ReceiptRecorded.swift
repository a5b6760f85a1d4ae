import GongguCore

/// An office's receipt for a notification it got through the outbox channel (the daily CSV, returned
/// with 处理结果/处理日期 filled in): it acknowledges the notification, as of `date`, and carries the
/// office's note on what was done, if any. Subject: notification id. The notifier folds it.
public struct ReceiptRecorded: TabledPayload, Equatable {
    public static let eventType = EventType.receiptRecorded.rawValue
    /// The notification acknowledged (通知编号, 32 hexadecimal digits).
    public var notificationID: String
    /// 处理日期, `YYYY-MM-DD`: when the office handled the notification.
    public var date: String
    /// 处理结果: the office's note; nil when the office only acknowledged.
    public var result: String?
    public var source: SourceRef

    public init(notificationID: String, date: String, result: String? = nil, source: SourceRef) {
        self.notificationID = notificationID
        self.date = date
        self.result = result
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            notificationID: "", date: "", source: .unknown),
        [
            .required("notificationID", \.notificationID),
            .required("date", \.date),
            .optional("result", \.result),
            .source(\.source),
        ])
}
