import GongguCore

/// A rule set a fold service accepts in `RULES`: its name, built-in default document and complete
/// check, given by the service's room (`RiskService.ruleSet`, `VerifyService.ruleSet`) so the host
/// needs no domain module; `gonggu rules check` uses the same values.
public struct RuleSet: Sendable {
    /// The rule set's name, as `ruleSet` in its documents (`risk`, `verify`).
    public let name: String
    /// The document in force when no other has been activated (shipped as `Services/rules/<name>.json`).
    public let defaultDocument: String
    private let validateRules: @Sendable (RuleDocument) throws -> Void

    public init(name: String, defaultDocument: String, validate: @escaping @Sendable (RuleDocument) throws -> Void) {
        self.name = name
        self.defaultDocument = defaultDocument
        validateRules = validate
    }

    /// Checks the domain rules of a parsed document (defaults and every region override).
    public func validate(_ document: RuleDocument) throws { try validateRules(document) }

    /// Parses and checks a rule document completely without activating anything: the envelope, the
    /// rule set, every required key and value. Throws `RuleError` naming the key by its dotted path in
    /// the document (`defaults.income.sharpFallPercent`).
    @discardableResult
    public func check(_ text: String) throws -> RuleDocument {
        let document = try RuleDocument(text: text)
        guard document.ruleSet == name else {
            throw RuleError.wrongRuleSet(expected: name, found: document.ruleSet)
        }
        try validate(document)
        return document
    }

    /// Reads `rules.file` from configuration: nil when unset (the built-in default stays in force).
    public static func configuredDocument(_ config: Config) throws -> String? {
        let path = config.string("rules.file", default: "")
        guard !path.isEmpty else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigError.unreadable(path) }
        return text
    }
}
