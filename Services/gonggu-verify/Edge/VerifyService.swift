import Foundation
import GongguCore
import GongguEvents
import GongguRuntime
import GongguTransport
import GongguVerify

/// The benefit verifier service: `VerifyFold` behind the generic fold host.
public enum VerifyService {
    public static func behaviour(config: Config) throws -> FoldBehaviour<VerifyFold> {
        FoldBehaviour(
            fold: VerifyFold(), ruleSet: ruleSet, configuredRules: try RuleSet.configuredDocument(config),
            queries: ["CONTINUITY": continuity])
    }

    /// The benefit verifier's rules (docs/RULES-verify.md).
    public static let ruleSet = RuleSet(
        name: Service.verify.rawValue, defaultDocument: VerifyRules.defaultDocument,
        validate: { try VerifyRules.validate(document: $0.text) })

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
