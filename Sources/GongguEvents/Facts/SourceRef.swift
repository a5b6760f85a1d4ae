import GongguCore

/// Where a fact came from: file or endpoint, and line (1-based, header = line 1). Every fact carries
/// it as `source`, for evidence.
public struct SourceRef: Sendable, Equatable, EventObject {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// What a fact without `source` reads as.
    public static let unknown = SourceRef(file: "", line: 0)

    public static let fields = EventFields<Self>(
        "source", blank: .unknown, [.defaulted("file", \.file, ""), .defaulted("line", \.line, 0)])
}

extension EventField {
    /// The fact's `source` object; absent, it reads as `SourceRef.unknown`.
    public static func source(_ path: WritableKeyPath<Root, SourceRef>) -> Self { .defaulted("source", path, .unknown) }
}
