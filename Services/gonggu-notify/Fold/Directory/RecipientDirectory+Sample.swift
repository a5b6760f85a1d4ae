import GongguCore

extension RecipientDirectory {
    /// A sample directory for the synthetic Jilin province (吉林, `22`): bureau and 残联 office of
    /// 南关区 (220102) and 榆树市 (220182) under 长春 (2201), 延吉市 (222401) and 安图县 (222426) under
    /// 延边 (2224), the two prefectures and the province. Escalation: county → city → province.
    ///
    /// The public keys are placeholders (valid Z85 text, `GongguSampleKey…`, for which nobody holds a
    /// secret key): a deployment replaces them with the keys the recipients generated.
    public static let sampleDocument: String = {
        // Each area: region, level, name, the area it escalates to. Every area has a bureau (乡村振兴局, on
        // ZeroMQ; 榆树市's also by webhook) and an office (残疾人联合会; a county's by outbox file only).
        let areas: [(region: String, level: String, name: String, up: String?)] = [
            ("22", "province", "吉林省", nil), ("2201", "city", "长春市", "22"),
            ("220102", "county", "长春市南关区", "2201"), ("220182", "county", "榆树市", "2201"),
            ("2224", "city", "延边朝鲜族自治州", "22"), ("222401", "county", "延吉市", "2224"),
            ("222426", "county", "安图县", "2224"),
        ]
        let types = (
            bureau: """
                ["RiskFeedback", "RecommendationOverdue"]
                """,
            office: """
                ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved",
                                "MonitoringWithoutAssistance"]
                """)
        let zmq = #"{"type": "zmq"}"#, outbox = #"{"type": "outbox"}"#
        let webhook = #"{"type": "webhook", "url": "http://127.0.0.1:8089/gonggu/notify"}"#
        var entries: [String] = []
        for a in areas {
            let bureauChannels = a.region == "220182" ? [zmq, webhook] : [zmq]
            let officeChannels = a.level == "county" ? [outbox] : [zmq, outbox]
            for (kind, letter, suffix, typeList, channels) in [
                ("bureau", "B", "乡村振兴局", types.bureau, bureauChannels),
                ("office", "O", "残疾人联合会", types.office, officeChannels),
            ] {
                let key = "GongguSampleKey\(a.region)\(letter)"
                // A webhook's URL makes the line long: escalation, channels and revoked each get one.
                let rest = channels.contains(webhook) ? ",\n      " : ", "
                entries.append("""
                        { "id": "\(a.region)-\(kind)", "name": "\(a.name)\(suffix)",
                          "kind": "\(kind)", "level": "\(a.level)", "region": "\(a.region)",
                          "publicKey": "\(key + String(repeating: "0", count: 40 - key.count))",
                          "types": \(typeList),
                          "escalateTo": \(a.up.map { "\"\($0)-\(kind)\"" } ?? "null")\(rest)\
                    "channels": [\(channels.joined(separator: ", "))]\(rest)"revoked": false }
                    """)
            }
        }
        return """
            { "version": "sample-2025.1",
              "escalation": { "afterDays": 7 },
              "recipients": [
            \(entries.joined(separator: ",\n"))
              ] }
            """
    }()
}
