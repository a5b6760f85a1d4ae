import GongguCore

/// A rule set version taking effect: the whole rule document, so replay reproduces decisions with
/// the rules in force at the time. Subject: the rule set name (`risk`, `verify`, `notify`).
public struct RulesActivated: TabledPayload, Equatable {
    public static let eventType = EventType.rulesActivated.rawValue
    /// Rule set name.
    public var ruleSet: String
    /// Version label from the document.
    public var version: String
    /// Business date from which the rules apply (events dated before keep the older version).
    public var effectiveFrom: String
    /// SHA-256 (hex) of `document`.
    public var sha256: String
    /// The rule document (JSON text) as loaded.
    public var document: String

    public init(ruleSet: String, version: String, effectiveFrom: String, document: String) {
        self.ruleSet = ruleSet
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.document = document
        sha256 = SHA256.hash(document).hexString
    }

    /// The wire form, declared once. Every key may be absent and reads as "" (`sha256` is read as
    /// stored, never recomputed).
    public static let fields = EventFields<Self>(
        eventType, blank: Self(ruleSet: "", version: "", effectiveFrom: "", document: ""),
        [
            .defaulted("ruleSet", \.ruleSet, ""),
            .defaulted("version", \.version, ""),
            .defaulted("effectiveFrom", \.effectiveFrom, ""),
            .defaulted("sha256", \.sha256, ""),
            .defaulted("document", \.document, ""),
        ])
}
