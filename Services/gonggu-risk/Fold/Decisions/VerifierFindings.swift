import GongguCore

/// The part of the benefit verifier's findings the risk monitor reads (docs/RULES-verify.md, "Findings"): a lost
/// benefit (`AssistanceDiscontinued`, `EntitlementGap`) is a risk signal until `FindingResolved` closes it. Defined
/// here as a reader only; the verifier owns the full payloads.
struct BenefitFinding {
    static let discontinued = "AssistanceDiscontinued"
    static let gap = "EntitlementGap"
    static let resolved = "FindingResolved"
    /// Every verifier event type the risk monitor reads.
    static let types: Set<String> = [discontinued, gap, resolved]

    var findingID = ""
    var householdID = ""
    var measure = ""

    /// Reads `findingID`, `householdID` and `measure`, skipping everything else.
    static func read(_ payload: [UInt8]) -> BenefitFinding? {
        var f = BenefitFinding()
        do {
            try JSONReader.read(payload) { r in
                try r.readObject { r, k in
                    switch k {
                    case "findingID": f.findingID = try r.readString()
                    case "householdID": f.householdID = try r.readString()
                    case "measure": f.measure = try r.readString()
                    default: try r.skipValue()
                    }
                }
            }
        } catch { return nil }
        return f.findingID.isEmpty || f.householdID.isEmpty ? nil : f
    }

    /// Chinese name of a verifier measure code.
    static func measureName(_ measure: String) -> String {
        switch measure {
        case "dibao": return "低保"
        case "singlePersonDibao": return "单人户施保"
        case "living": return "困难残疾人生活补贴"
        case "nursing": return "重度残疾人护理补贴"
        case "pension": return "城乡居民养老保险代缴"
        case "childRehabilitation": return "残疾儿童康复救助"
        case "accessibility": return "无障碍改造"
        default: return measure
        }
    }
}
