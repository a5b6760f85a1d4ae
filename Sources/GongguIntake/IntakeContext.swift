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

    /// The format suggested by a file name: `.jsonl`, `.ndjson` and `.json` are JSON Lines,
    /// anything else CSV.
    public static func guess(fileName: String) -> RecordFormat {
        let lower = fileName.lowercased()
        return lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") ? .jsonLines : .csv
    }
}
