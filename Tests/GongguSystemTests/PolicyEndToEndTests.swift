import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguHarness
import GongguRisk
import GongguServices
import GongguTransport
import GongguVerify
import XCTest

/// The policy rules with real processes and hand-written files through the real `gonggu import` path, the way a
/// new user tried it: an old-age allowance and a nursing-subsidy payment (defect 1), a person entitled all
/// year with no pay roll at all and one tick at year end (defect 2), a bureau inclusion that names its
/// measure (defect 3), sent twice (defect 7), and the county 残联 office, on the outbox channel, returning
/// its outbox file with 处理结果/处理日期 filled in (defect 8).
final class PolicyEndToEndTests: PipelineTestCase {
    static let region = "220102001001"

    /// A synthetic resident ID with a valid GB 11643 check character.
    static func residentID(_ body17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body17.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        return body17 + String(Array("10X98765432")[sum % 11])
    }

    /// P1: old-age allowance, grade 1 needing care (excluded from the nursing subsidy, 择高). P2: grade 1
    /// needing care, never paid. P3, P4: grade 4 in households with income below the monitoring line.
    static let p1 = residentID("22010219440211002"), p2 = residentID("22010219700305003")
    static let p3 = residentID("22010219800101004"), p4 = residentID("22010219810202005")

    func write(_ name: String, _ lines: [String]) throws -> String {
        let path = root + "/" + name
        try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func events(_ service: String, _ type: String) throws -> [Event] {
        try GongguStoreTestAccess.events(path: launcher.logPath(service)).filter { $0.type == type }
    }

    func testHandWrittenHouseholdsThroughTheRealImportPath() throws {
        let findings = ["EntitlementGap", "PaymentAnomaly"]
        let l = try makeLauncher(recipients: [
            .init(id: "220102-bureau", name: "长春市南关区乡村振兴局", kind: "bureau", level: "county", region: "220102",
                  types: ["RiskFeedback", "RecommendationOverdue"]),
            .init(id: "2201-office", name: "长春市残联", kind: "office", level: "city", region: "2201", types: findings,
                  channels: ["outbox"]),
            .init(id: "220102-office", name: "南关区残联", kind: "office", level: "county", region: "220102",
                  types: findings, escalateTo: "2201-office", channels: ["outbox"]),
        ])
        try l.startAll()
        let r = Self.region
        let survey = try write("survey.csv", [
            "身份证号,户编号,区划代码,姓名,残疾证号,残疾类别,残疾等级,劳动能力,调查年度,调查日期,是否需要长期照护,享受老年人补贴",
            "\(Self.p1),HH-E1,\(r),赵一,\(Self.p1)41,肢体,一级,无劳动力,2025,2025-01-10,是,是",
            "\(Self.p2),HH-E2,\(r),钱二,\(Self.p2)41,肢体,一级,无劳动力,2025,2025-01-10,是,否",
            "\(Self.p3),HH-E3,\(r),孙三,\(Self.p3)44,肢体,四级,有劳动力,2025,2025-01-10,否,否",
            "\(Self.p4),HH-E4,\(r),李四,\(Self.p4)44,肢体,四级,有劳动力,2025,2025-01-10,否,否",
        ])
        var (status, out) = try importFile(survey, kind: "survey", allowRejects: false)
        XCTAssertEqual(status, 0, out)
        // Per capita 4,000 yuan: below the 2025 monitoring line (7,600) and below the 低保 line (not 低保边缘).
        let income = try write("income.csv", [
            "户编号,区划代码,年度,家庭纯收入,家庭人口数,核算日期",
            "HH-E3,\(r),2024,8000.00,2,2025-01-15",
            "HH-E4,\(r),2024,8000.00,2,2025-01-15",
        ])
        (status, out) = try importFile(income, kind: "income", allowRejects: false)
        XCTAssertEqual(status, 0, out)
        try l.waitIdle(timeout: 60)

        // Defect 2: no pay-roll rows at all, one tick at year end: P2 was entitled all year and never paid.
        tick("2025-12-31")
        try l.waitIdle(timeout: 60)
        let gaps = try events("verify", EntitlementGap.eventType).map { try $0.decode(EntitlementGap.self) }
        let nursing = gaps.filter { $0.personID == Self.p2 && $0.measure == .nursing }
        XCTAssertEqual(nursing.map(\.periodFrom), ["2025-01"], "the gap runs from the entitlement's start")
        XCTAssertEqual(nursing.first?.months, 11)
        XCTAssertFalse(gaps.contains { $0.personID == Self.p1 }, "an old-age allowance excludes both subsidies (择高)")

        // Defect 1: a nursing-subsidy payment to P1 is an anomaly naming the exclusion.
        let subsidy = try write("subsidy.csv", [
            "身份证号,户编号,区划代码,补贴类型,发放月份,发放金额",
            "\(Self.p1),HH-E1,\(r),护理补贴,2025-03,100.00",
        ])
        (status, out) = try importFile(subsidy, kind: "subsidy", allowRejects: false)
        XCTAssertEqual(status, 0, out)
        try l.waitIdle(timeout: 60)
        let anomalies = try events("verify", PaymentAnomaly.eventType).map { try $0.decode(PaymentAnomaly.self) }
        XCTAssertEqual(anomalies.map(\.anomaly), [.excludedOldAgeAllowance])
        XCTAssertTrue(anomalies.first?.summary.contains("已享受同类老年人津贴") ?? false)

        // Defects 3 and 7: the county bureau answers the feedback for HH-E3 with an inclusion naming its
        // measure, and sends it twice; HH-E4 is included without a measure (the control).
        let bureau = try RecipientClient(
            keyFile: l.keyFile("220102-bureau"), serverPublicKeyFile: l.publicKeyFile("notify"),
            endpoint: l.recipientEndpoint)
        defer { bureau.close() }
        let feedback = try bureau.collect(atLeast: 2)
        XCTAssertEqual(Set(feedback.compactMap { $0["household"]?.stringValue }), ["HH-E3", "HH-E4"])
        try bureau.ack(feedback)
        let named = #"{"type":"decision","household":"HH-E3","decision":"inclusionConfirmed","date":"2026-01-05","#
            + #""householdType":"monitoredMarginal","measure":"临时救助"}"#
        let plain = #"{"type":"decision","household":"HH-E4","decision":"inclusionConfirmed","date":"2026-01-05","#
            + #""householdType":"monitoredMarginal"}"#
        var replies: [String] = []
        for text in [named, named, plain] {
            try bureau.socket.send(Array(text.utf8))
            replies.append(try bureau.nextReply())
        }
        XCTAssertEqual(replies, ["decisionAccepted", "duplicate", "decisionAccepted"])
        try waitFor("both decisions to reach intake", timeout: 30) {
            try events("intake", BureauDecisionRecorded.eventType).count >= 2
        }
        try l.waitIdle(timeout: 60)
        let decisions = try events("intake", BureauDecisionRecorded.eventType)
        XCTAssertEqual(decisions.map(\.subject).sorted(), ["HH-E3", "HH-E4"], "the re-sent decision is forwarded once")

        // Defect 8: the county office returns its outbox file (the gap and the anomaly) filled in.
        let returned = try returnOutbox("220102-office", findings: 2)
        let (receiptStatus, receiptOut) = try importFile(returned, kind: "receipt", allowRejects: false)
        XCTAssertEqual(receiptStatus, 0, receiptOut)
        XCTAssertTrue(receiptOut.contains("读取 2 条，接收 2 条，重复 0 条，退回 0 条"), receiptOut)
        try waitFor("the receipts to acknowledge both notifications") { pending("220102-office") == 0 }

        // 115 days later: only the household whose inclusion named no measure is without assistance, and
        // nothing the county office acknowledged escalates to the city office (which has its own direct
        // copies, left unacknowledged here).
        let cityBefore = try XCTUnwrap(pending("2201-office"))
        tick("2026-04-30")
        try l.waitIdle(timeout: 60)
        XCTAssertEqual(try events("risk", MonitoringWithoutAssistance.eventType).map(\.subject), ["HH-E4"])
        XCTAssertEqual(pending("220102-office"), 0)
        XCTAssertEqual(pending("2201-office"), cityBefore, "no escalation of acknowledged findings")
        let overdue = launcher.call("notify", "OVERDUE", body: #"{"recipient":"220102-office"}"#)?.body?.arrayValue
        XCTAssertEqual(overdue?.count, 0)
    }

    private func pending(_ recipient: String) -> Int? {
        launcher.call("notify", "PENDING", body: "{\"recipient\":\"\(recipient)\"}")?.body?["pending"]?.intValue
    }

    /// The office's outbox rows (once `findings` are there), with 处理结果 and 处理日期 (the created date)
    /// filled in, written back as a CSV for `gonggu import --kind receipt`.
    private func returnOutbox(_ office: String, findings: Int) throws -> String {
        let outbox = "\(launcher.dataDirectory)/outbox"
        var rows: [[String]] = [], header: [String] = []
        try waitFor("\(findings) notifications in the outbox of \(office)") {
            rows = []
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? [])
                .filter { $0.hasPrefix("\(office)-") && $0.hasSuffix(".csv") }
            for f in files {
                let bytes = FileManager.default.contents(atPath: "\(outbox)/\(f)") ?? Data()
                let table = CSV.parse(String(decoding: bytes.dropFirst(3), as: UTF8.self))
                header = table.first ?? []
                rows += table.dropFirst()
            }
            return rows.count >= findings
        }
        let created = try XCTUnwrap(header.firstIndex(of: "生成日期"))
        let filled = rows.map { row -> [String] in
            var r = row
            r[r.count - 2] = "已核实并处理"
            r[r.count - 1] = row[created]
            return r
        }
        let path = "\(root)/\(office)-returned.csv"
        try CSV.write([header] + filled).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
