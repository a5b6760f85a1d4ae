import GongguCore
import GongguRisk
import GongguVerify

/// The rule sets a service accepts in `RULES`, with each one's built-in default document and its
/// complete check: one definition for the services and for `gonggu rules check`, so what the operator
/// checks offline is exactly what the service will accept.
public enum RuleSetName: String, CaseIterable, Sendable {
    /// The risk monitor's rules (docs/RULES-risk.md).
    case risk
    /// The benefit verifier's rules (docs/RULES-verify.md).
    case verify

    /// The document in force when no other has been activated (shipped as `Services/rules/<name>.json`).
    public var defaultDocument: String {
        switch self {
        case .risk: return RiskRules.defaultDocument
        case .verify: return VerifyRules.defaultDocument
        }
    }

    /// Checks the domain rules of a parsed document (defaults and every region override).
    public func validate(_ document: RuleDocument) throws {
        switch self {
        case .risk: try RiskRules.validate(document: document.text)
        case .verify: try VerifyRules.validate(document: document.text)
        }
    }

    /// Parses and checks a rule document completely without activating anything: the envelope, the
    /// rule set, every required key and value. Throws `RuleError` naming the key by its dotted path in
    /// the document (`defaults.income.sharpFallPercent`).
    @discardableResult
    public func check(_ text: String) throws -> RuleDocument {
        let document = try RuleDocument(text: text)
        guard document.ruleSet == rawValue else {
            throw RuleError.wrongRuleSet(expected: rawValue, found: document.ruleSet)
        }
        try validate(document)
        return document
    }
}
