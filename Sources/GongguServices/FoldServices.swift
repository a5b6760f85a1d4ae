import Foundation
import GongguCore
import GongguRisk
import GongguRuntime
import GongguVerify

/// Reads `rules.file` from configuration: nil when unset (the built-in default stays in force).
func configuredRuleDocument(_ config: Config) throws -> String? {
    let path = config.string("rules.file", default: "")
    guard !path.isEmpty else { return nil }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigError.unreadable(path) }
    return text
}

/// The risk monitor service: `RiskFold` behind the generic fold host.
public enum RiskService {
    public static func behaviour(config: Config) throws -> FoldBehaviour<RiskFold> {
        FoldBehaviour(
            fold: try RiskFold(), ruleSet: "risk", validateRules: { try RiskFold.validate(document: $0.text) },
            configuredRules: try configuredRuleDocument(config))
    }
}

/// The benefit verifier service: `VerifyFold` behind the generic fold host.
public enum VerifyService {
    public static func behaviour(config: Config) throws -> FoldBehaviour<VerifyFold> {
        FoldBehaviour(
            fold: VerifyFold(), ruleSet: "verify", validateRules: { try VerifyRules.validate(document: $0.text) },
            configuredRules: try configuredRuleDocument(config))
    }
}
