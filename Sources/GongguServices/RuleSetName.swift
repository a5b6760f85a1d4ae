import GongguCore
import GongguRiskService
import GongguRuntime
import GongguVerifyService

/// The rule sets a service accepts in `RULES`, with each one's built-in default document and its
/// complete check: one definition for the services and for `gonggu rules check`, so what the operator
/// checks offline is exactly what the service will accept.
public enum RuleSetName: String, CaseIterable, Sendable {
    /// The risk monitor's rules (docs/RULES-risk.md).
    case risk
    /// The benefit verifier's rules (docs/RULES-verify.md).
    case verify

    /// The rule set itself, as its service's room defines it.
    public var ruleSet: RuleSet {
        switch self {
        case .risk: return RiskService.ruleSet
        case .verify: return VerifyService.ruleSet
        }
    }

    /// The document in force when no other has been activated (shipped as `Services/rules/<name>.json`).
    public var defaultDocument: String { ruleSet.defaultDocument }

    /// Checks the domain rules of a parsed document (defaults and every region override).
    public func validate(_ document: RuleDocument) throws { try ruleSet.validate(document) }

    /// Parses and checks a rule document completely without activating anything: the envelope, the
    /// rule set, every required key and value. Throws `RuleError` naming the key by its dotted path in
    /// the document (`defaults.income.sharpFallPercent`).
    @discardableResult
    public func check(_ text: String) throws -> RuleDocument { try ruleSet.check(text) }
}
