import Foundation
import GongguCore
import GongguEvents
import GongguRisk
import GongguRuntime
import GongguTransport

/// The risk monitor service: `RiskFold` behind the generic fold host.
public enum RiskService {
    public static func behaviour(config: Config) throws -> FoldBehaviour<RiskFold> {
        FoldBehaviour(
            fold: try RiskFold(), ruleSet: ruleSet, configuredRules: try RuleSet.configuredDocument(config))
    }

    /// The risk monitor's rules (docs/RULES-risk.md).
    public static let ruleSet = RuleSet(
        name: Service.risk.rawValue, defaultDocument: RiskRules.defaultDocument,
        validate: { try RiskRules.validate(document: $0.text) })
}
