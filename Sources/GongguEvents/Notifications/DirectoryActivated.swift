import GongguCore

/// Own input: a recipient directory document taking effect from this point of the log on (revoked
/// recipients and keys at once). Subject: `notify`. An invalid document changes nothing; every key may
/// be absent (empty).
public struct DirectoryActivated: TabledPayload, Equatable {
    public static let eventType = EventType.directoryActivated.rawValue
    public var version: String
    /// SHA-256 (hex) of `document`.
    public var sha256: String
    /// The directory document (JSON text).
    public var document: String

    public init(document: String, version: String) {
        self.document = document
        self.version = version
        sha256 = SHA256.hash(document).hexString
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(document: "", version: ""),
        [
            .defaulted("version", \.version, ""),
            .defaulted("sha256", \.sha256, ""),
            .defaulted("document", \.document, ""),
        ])
}
