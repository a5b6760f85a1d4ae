import Foundation
import GongguEvents

extension PipelineLauncher {
    /// Every county's bureau and 残联 office, each prefecture's and the province's: bureaus take risk
    /// feedback over ZeroMQ, offices take findings as outbox files; escalation county → city → province.
    /// `counties` come from the simulated province (`PipelineCheck.counties`) or a real directory.
    public static func provinceRecipients(
        counties: [(code: String, name: String, prefecture: String, prefectureName: String)]
    ) -> [PipelineLauncher.Recipient] {
        let bureauTypes = [EventType.riskFeedback, .recommendationOverdue].map(\.rawValue)
        let officeTypes = [
            EventType.entitlementGap, .assistanceDiscontinued, .paymentAnomaly, .findingResolved,
            .monitoringWithoutAssistance,
        ].map(\.rawValue)
        let overdue = EventType.recommendationOverdue.rawValue, withoutAssistance = EventType.monitoringWithoutAssistance.rawValue
        var out: [PipelineLauncher.Recipient] = [
            .init(id: "22-bureau", name: "吉林省乡村振兴局", kind: "bureau", level: "province", region: "22", types: [overdue]),
            .init(id: "22-office", name: "吉林省残疾人联合会", kind: "office", level: "province", region: "22", types: [withoutAssistance], channels: ["outbox"]),
        ]
        var prefectures = Set<String>()
        for c in counties {
            if prefectures.insert(c.prefecture).inserted {
                out.append(.init(id: "\(c.prefecture)-bureau", name: "\(c.prefectureName)乡村振兴局", kind: "bureau", level: "city",
                                 region: c.prefecture, types: [overdue], escalateTo: "22-bureau"))
                out.append(.init(id: "\(c.prefecture)-office", name: "\(c.prefectureName)残疾人联合会", kind: "office", level: "city",
                                 region: c.prefecture, types: [withoutAssistance], escalateTo: "22-office", channels: ["outbox"]))
            }
            out.append(.init(id: "\(c.code)-bureau", name: "\(c.name)乡村振兴局", kind: "bureau", level: "county", region: c.code,
                             types: bureauTypes, escalateTo: "\(c.prefecture)-bureau"))
            out.append(.init(id: "\(c.code)-office", name: "\(c.name)残疾人联合会", kind: "office", level: "county", region: c.code,
                             types: officeTypes, escalateTo: "\(c.prefecture)-office", channels: ["outbox"]))
        }
        return out
    }
}
