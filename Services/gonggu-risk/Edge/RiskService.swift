import Foundation
import GongguCore
import GongguRisk
import GongguRuntime
import GongguTransport
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
            fold: try RiskFold(), ruleSet: .risk, configuredRules: try configuredRuleDocument(config))
    }
}

/// The benefit verifier service: `VerifyFold` behind the generic fold host.
public enum VerifyService {
    public static func behaviour(config: Config) throws -> FoldBehaviour<VerifyFold> {
        FoldBehaviour(
            fold: VerifyFold(), ruleSet: .verify, configuredRules: try configuredRuleDocument(config),
            queries: ["CONTINUITY": continuity])
    }

    /// `CONTINUITY {"year": Y, "region": "PREFIX"}` → the continuity ledger (四个不摘) as CSV text.
    static func continuity(_ fold: VerifyFold, _ body: JSONValue) -> CommandReply {
        guard let year = body["year"]?.intValue, (2000...2100).contains(year) else {
            return .error(.badRequest, "CONTINUITY needs {\"year\": YYYY, \"region\": \"prefix\"}")
        }
        let region = body["region"]?.stringValue ?? ""
        let ledger = fold.continuityLedger
        let summary = ledger.summary(year: year, regionPrefix: region)
        var w = JSONWriter()
        w.beginObject()
        w.field("lifted", summary.lifted)
        w.field("households", summary.households)
        w.field("allContinued", summary.allContinued)
        w.field("noMeasure", summary.noMeasure)
        w.field("csv", ledger.csv(year: year, regionPrefix: region))
        w.endObject()
        return CommandReply(status: "OK", body: w.bytes)
    }
}
