import GongguCore

/// A policy document or project-archive record: metadata plus the SHA-256 of the file.
/// Subject: the document id.
public struct DocumentArchived: TabledPayload, Equatable {
    public static let eventType = EventType.documentArchived.rawValue
    public var documentID: String
    /// `policy` or `project`.
    public var category: String
    public var title: String
    public var date: String
    /// Project stage for project archives: research, meeting, funds, execution, beneficiaries.
    public var stage: String?
    public var sha256: String
    public var source: SourceRef

    public init(
        documentID: String, category: String, title: String, date: String, stage: String? = nil, sha256: String,
        source: SourceRef
    ) {
        self.documentID = documentID
        self.category = category
        self.title = title
        self.date = date
        self.stage = stage
        self.sha256 = sha256
        self.source = source
    }

    /// The wire form, declared once: keys in writing order, and what an absent key means.
    public static let fields = EventFields<Self>(
        eventType,
        blank: Self(
            documentID: "", category: "", title: "", date: "", sha256: "", source: .unknown),
        [
            .required("documentID", \.documentID),
            .required("category", \.category),
            .defaulted("title", \.title, ""),
            .required("date", \.date),
            .optional("stage", \.stage),
            .required("sha256", \.sha256),
            .source(\.source),
        ])
}
