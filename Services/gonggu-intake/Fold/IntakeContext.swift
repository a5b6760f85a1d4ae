import GongguCore

/// Everything intake needs to know about one import besides the bytes: the declared kind, the
/// source name recorded in facts (file name or network endpoint), the region policy, the import's
/// id (the correlation id of every event it produces) and when it was received (the `occurredAt`
/// of rejections, which have no business date).
public struct IntakeContext: Sendable {
    public var kind: RecordKind
    /// File name or endpoint, stored as `source.file` in facts and `file` in rejections.
    public var source: String
    public var regionPolicy: RegionPolicy
    /// Correlation id of the import; rejection ids derive from it, so use a fresh one per import.
    public var importID: EventID
    /// When the import was received (milliseconds since the epoch).
    public var receivedAt: Timestamp
    /// For `receipt` records: asks the notifier about the notification a row names. Nil checks the
    /// rows on their own (format, dates) — the notifier's fold still refuses what its state does not allow.
    public var receiptLookup: ReceiptLookup?
    /// The SHA-256 compression function of record fingerprints (nil: the core's Swift one). The edge
    /// hands in the CPU's (`SHA256Engine.selectedCompressor`); every engine computes the same digest.
    public var compressor: SHA256.Compressor?

    public init(
        kind: RecordKind, source: String, regionPolicy: RegionPolicy = .jilin, importID: EventID,
        receivedAt: Timestamp
    ) {
        self.kind = kind
        self.source = source
        self.regionPolicy = regionPolicy
        self.importID = importID
        self.receivedAt = receivedAt
    }
}

/// The record formats intake reads.
public enum RecordFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header line.
    case csv
    /// JSON Lines: one flat JSON object per line, keys as headers.
    case jsonLines
    /// An Office Open XML workbook (`.xlsx`, `.xlsm`): one sheet, its first non-empty row the header.
    case xlsx

    /// The format suggested by a file name: `.jsonl`, `.ndjson` and `.json` are JSON Lines;
    /// `.xlsx`, `.xlsm` and `.xls` are workbooks (an `.xls` is refused with advice to save as
    /// `.xlsx`); anything else CSV.
    public static func guess(fileName: String) -> RecordFormat {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") || lower.hasSuffix(".xls") { return .xlsx }
        return lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") ? .jsonLines : .csv
    }

    /// The format the first bytes of a file show, if they show one: a ZIP local header
    /// (`PK\u{3}\u{4}`, a workbook) or an OLE2 compound document (`D0 CF 11 E0`, an `.xls`).
    public static func sniff(_ head: [UInt8]) -> RecordFormat? {
        let magic = Array(head.prefix(4))
        return magic == [0x50, 0x4B, 0x03, 0x04] || magic == [0xD0, 0xCF, 0x11, 0xE0] ? .xlsx : nil
    }
}

/// Where a notification named by an office's receipt stands, as the notifier answers (`RECEIPT_CHECK`).
public enum ReceiptStanding: Sendable, Equatable {
    /// No notification has this id.
    case unknown
    /// The notifier could not be asked.
    case unavailable
    /// Its recipient does not take the outbox channel: it acknowledges on its own client.
    case notOutbox(recipient: String)
    /// Awaiting acknowledgement; `created` is `YYYY-MM-DD`.
    case open(recipient: String, created: String)
    /// Acknowledged already (or withdrawn with its escalation chain): a receipt has no further effect.
    case closed(recipient: String, created: String)
}

/// Looks a notification id up for a receipt row (called on the parsing thread).
public typealias ReceiptLookup = @Sendable (String) -> ReceiptStanding
