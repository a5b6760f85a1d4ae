import Foundation
import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

final class KindTests: IntakeTestCase {
    private func parse(_ kind: RecordKind, _ json: String, line: Int = 1, overrides: [String: String] = [:])
        -> IntakeOutcome
    {
        RecordParser.parseJSONRecord(Array(json.utf8), context: context(kind, "api"), line: line, overrides: overrides)
    }

    /// One valid record per kind, the event type it must produce, its business date and correction key.
    private static let receiptID = String(repeating: "a1", count: 16)

    private var validRecords: [(RecordKind, String, String, String)] {
        let a = TestIDs.a
        return [
            (.survey, #"{"身份证号":"\#(a)","户编号":"H1","区划代码":"220102001001","残疾证号":"\#(a)41","劳动能力":"无劳动力","调查年度":"2024","调查日期":"2024-06-30"}"#,
             "2024-06-30", "survey|\(a)|2024"),
            (.member, #"{"householdID":"H1","personID":"\#(a)","region":"220102001001","labour":"full","since":"2020-01-01"}"#,
             "2020-01-01", "member|H1|\(a)|2020-01-01"),
            (.household, #"{"户编号":"H1","区划代码":"220102001001","户类型":"脱贫户","认定日期":"2021/3/1","脱贫年度":"2019"}"#,
             "2021-03-01", "household|H1|2021-03-01"),
            (.income, #"{"户编号":"H1","区划代码":"220102001001","年度":2024,"家庭纯收入":"8000.5","家庭人口数":2,"核算日期":"2024-12-01"}"#,
             "2024-12-01", "income|H1|2024"),
            (.assistance, #"{"户编号":"H1","区划代码":"220102001001","身份证号":"\#(a)","救助类型":"低保","起始年月":"2023-01","停止年月":"2024-05","停止原因":"收入超标","月保障金额":"500"}"#,
             "2024-05-01", "assistance|H1|\(a)|dibao|2023-01"),
            (.pension, #"{"户编号":"H1","区划代码":"220102001001","身份证号":"\#(a)","年度":"2024","是否参保":"是","政府代缴金额":"100"}"#,
             "2024-01-01", "pension|\(a)|2024"),
            (.subsidy, #"{"户编号":"H1","区划代码":"220102001001","身份证号":"\#(a)","补贴类型":"生活补贴","发放月份":"202403","发放金额":"80"}"#,
             "2024-03-01", "subsidy|\(a)|living|2024-03"),
            (.expense, #"{"户编号":"H1","区划代码":"220102001001","支出类型":"住院","自付金额":"6000","发生日期":45366,"报送部门":"医保"}"#,
             "2024-03-15", "expense|H1||inpatient|2024-03-15"),
            (.project, #"{"项目编号":"P1","项目类型":"无障碍改造","户编号":"H1","区划代码":"220102001001","实施日期":"2024-04-01","项目金额":"3000"}"#,
             "2024-04-01", "project|P1|H1|"),
            (.visit, #"{"户编号":"H1","区划代码":"220102001001","走访日期":"2024-05-01","走访人":"王干事","困难情况":["疾病","住房"],"是否自主申报":"否"}"#,
             "2024-05-01", "visit|H1|2024-05-01|王干事"),
            (.life, #"{"户编号":"H1","区划代码":"220102001001","身份证号":"\#(a)","事件类型":"死亡","发生日期":"2024-06-01"}"#,
             "2024-06-01", "life|\(a)|death"),
            (.decision, #"{"户编号":"H1","区划代码":"220102001001","决定类型":"确认纳入监测","决定日期":"2024-07-01","监测对象类型":"边缘易致贫户"}"#,
             "2024-07-01", "decision|H1|inclusionConfirmed|2024-07-01"),
            (.document, #"{"文件编号":"D1","文件类别":"政策","标题":"通知","成文日期":"2024-01-05","文件哈希":"\#(String(repeating: "A", count: 64))"}"#,
             "2024-01-05", "document|D1"),
            (.receipt, #"{"通知编号":"\#(Self.receiptID)","处理结果":"已处理","处理日期":"2023-11-03","区划代码":"220102001001"}"#,
             "2023-11-03", "receipt|\(Self.receiptID)"),
        ]
    }

    func testEveryKindAcceptsAValidRecord() throws {
        XCTAssertEqual(Set(validRecords.map(\.0)), Set(RecordKind.allCases))
        for (kind, json, date, key) in validRecords {
            let outcome = parse(kind, json, line: 3)
            guard case let .accepted(event, fingerprint, correctionKey) = outcome else {
                XCTFail("\(kind): \(outcome.rejection?.reason ?? "")")
                continue
            }
            XCTAssertEqual(event.type, kind.eventType)
            XCTAssertEqual(correctionKey, key)
            XCTAssertEqual(fingerprint.count, 32)
            XCTAssertEqual(event.id, EventID(bytes: fingerprint))
            XCTAssertEqual(event.subject, kind == .document ? "D1" : kind == .receipt ? Self.receiptID : "H1")
            XCTAssertEqual(event.region, kind == .document ? "22" : "220102001001")
            let parts = date.split(separator: "-").map { Int($0)! }
            XCTAssertEqual(
                event.occurredAt, CivilDate.chinaMidnight(days: CivilDate.days(year: parts[0], month: parts[1], day: parts[2])),
                "\(kind)")
            XCTAssertEqual(event.correlation, EventID.derived("import-api"))
            // The payload decodes with the core's own decoder and names its source.
            let source = try decodedSource(event)
            XCTAssertEqual(source, SourceRef(file: "api", line: 3), "\(kind)")
        }
    }

    private func decodedSource(_ e: Event) throws -> SourceRef {
        switch e.type {
        case DisabilityRecorded.eventType: return try e.decode(DisabilityRecorded.self).source
        case MemberRecorded.eventType: return try e.decode(MemberRecorded.self).source
        case HouseholdStatusRecorded.eventType: return try e.decode(HouseholdStatusRecorded.self).source
        case IncomeAssessed.eventType: return try e.decode(IncomeAssessed.self).source
        case AssistanceRecorded.eventType: return try e.decode(AssistanceRecorded.self).source
        case PensionRecorded.eventType: return try e.decode(PensionRecorded.self).source
        case SubsidyPaid.eventType: return try e.decode(SubsidyPaid.self).source
        case ExpenseReported.eventType: return try e.decode(ExpenseReported.self).source
        case ProjectRecorded.eventType: return try e.decode(ProjectRecorded.self).source
        case HomeVisitReported.eventType: return try e.decode(HomeVisitReported.self).source
        case LifeEventRecorded.eventType: return try e.decode(LifeEventRecorded.self).source
        case BureauDecisionRecorded.eventType: return try e.decode(BureauDecisionRecorded.self).source
        case ReceiptRecorded.eventType: return try e.decode(ReceiptRecorded.self).source
        default: return try e.decode(DocumentArchived.self).source
        }
    }

    func testNormalisedPayloads() throws {
        let records = Dictionary(uniqueKeysWithValues: validRecords.map { ($0.0, $0.1) })
        let income = try parse(.income, records[.income]!).event.decode(IncomeAssessed.self)
        XCTAssertEqual(income.netIncomeFen, 800_050)
        XCTAssertEqual(income.members, 2)
        let assistance = try parse(.assistance, records[.assistance]!).event.decode(AssistanceRecorded.self)
        XCTAssertEqual(assistance.stopReason, .incomeAboveLine)
        XCTAssertEqual(assistance.monthlyFen, 50_000)
        XCTAssertEqual(assistance.personID, TestIDs.a)
        let visit = try parse(.visit, records[.visit]!).event.decode(HomeVisitReported.self)
        XCTAssertEqual(visit.hardship, ["illness", "housing"])
        let household = try parse(.household, records[.household]!).event.decode(HouseholdStatusRecorded.self)
        XCTAssertEqual(household.status, .lifted)
        XCTAssertEqual(household.liftedYear, 2019)
        let document = try parse(.document, records[.document]!).event.decode(DocumentArchived.self)
        XCTAssertEqual(document.sha256, String(repeating: "a", count: 64))
        XCTAssertEqual(document.category, "policy")
        let survey = try parse(.survey, records[.survey]!).event.decode(DisabilityRecorded.self)
        XCTAssertEqual(survey.category, .physical)
        XCTAssertEqual(survey.grade, 1)
        XCTAssertEqual(survey.birthDate, "1980-01-01")
    }

    func testFifteenDigitIDInASurveyIsConvertedAndRecorded() throws {
        let (outcomes, _) = try readAll(try fixture("survey_utf8.csv"), .survey)
        let converted = try outcomes[2].event.decode(DisabilityRecorded.self)
        XCTAssertEqual(converted.personID, TestIDs.converted)
        XCTAssertTrue(converted.idConverted)
        XCTAssertEqual(converted.cardNumber, TestIDs.converted + "53")
        let cleaned = try outcomes[3].event.decode(DisabilityRecorded.self)
        XCTAssertEqual(cleaned.personID, TestIDs.withX)
        XCTAssertFalse(cleaned.idConverted)
        XCTAssertTrue(cleaned.needsLongTermCare)
    }

    func testFingerprintIgnoresSourceButNotContent() throws {
        let json = validRecords.first { $0.0 == .subsidy }!.1
        let one = parse(.subsidy, json, line: 1)
        let other = RecordParser.parseJSONRecord(
            Array(json.utf8), context: context(.subsidy, "another-file.csv"), line: 99)
        XCTAssertEqual(one.fingerprint, other.fingerprint)
        XCTAssertNotEqual(one.event.payload, other.event.payload)  // the source differs
        // Same record spelt differently (English keys, other spellings) is the same fact.
        let respelt = #"{"personID":" \#(TestIDs.a) ","householdID":"H1","region":"220102001001","subsidy":"living","month":"2024年3月","amount":80}"#
        XCTAssertEqual(parse(.subsidy, respelt).fingerprint, one.fingerprint)
        // A different amount for the same person, subsidy and month: new fingerprint, same correction key.
        let corrected = json.replacingOccurrences(of: #""发放金额":"80""#, with: #""发放金额":"90""#)
        let c = parse(.subsidy, corrected)
        XCTAssertNotEqual(c.fingerprint, one.fingerprint)
        XCTAssertEqual(c.correctionKey, one.correctionKey)
        // The same content under another kind's region is another fact.
        let moved = json.replacingOccurrences(of: "220102001001", with: "220102001002")
        XCTAssertNotEqual(parse(.subsidy, moved).fingerprint, one.fingerprint)
    }

    func testJSONLinesFile() throws {
        let (outcomes, summary) = try readAll(try fixture("subsidy.jsonl"), .subsidy)
        XCTAssertEqual(summary.read, 4)
        XCTAssertEqual(summary.accepted, 2)
        XCTAssertEqual(summary.rejected, 2)
        let first = try outcomes[0].event.decode(SubsidyPaid.self)
        XCTAssertEqual(first.amountFen, 10_000)
        XCTAssertEqual(first.subsidy, .nursing)
        XCTAssertEqual(first.source.line, 1)
        // Line 3: ID and region sent as JSON numbers keep their digits; the month is an Excel serial.
        let second = try outcomes[1].event.decode(SubsidyPaid.self)
        XCTAssertEqual(second.personID, TestIDs.a)
        XCTAssertEqual(second.month, "2024-02")
        XCTAssertEqual(second.amountFen, 7_550)
        XCTAssertEqual(second.source.line, 3)
        XCTAssertEqual(outcomes[1].event.region, "220102001001")
        XCTAssertEqual(outcomes[2].rejection?.code, "amount.negative")
        XCTAssertEqual(outcomes[2].rejection?.field, "amount")
        XCTAssertEqual(outcomes[2].rejection?.line, 4)
        XCTAssertEqual(outcomes[3].rejection?.code, "json.invalid")
        XCTAssertEqual(outcomes[3].rejection?.line, 5)
        XCTAssertTrue(outcomes[3].rejection?.reason.hasPrefix("第5行：") ?? false)
    }

    func testSingleRecordProblemsAndOverrides() throws {
        XCTAssertEqual(parse(.visit, #"{"户编号":{"a":1}}"#).rejection?.code, "json.nested")
        XCTAssertEqual(parse(.visit, "not json").rejection?.code, "json.invalid")
        XCTAssertEqual(
            parse(.visit, #"{"户编号":"H1","householdID":"H2","区划代码":"220102001001","走访日期":"2024-01-01"}"#)
                .rejection?.code, "json.duplicate_field")
        let missing = parse(.visit, #"{"户编号":"H1","区划代码":"220102001001"}"#).rejection
        XCTAssertEqual(missing?.code, "value.missing")
        XCTAssertEqual(missing?.field, "走访日期")
        XCTAssertEqual(missing?.reason, "第1行「走访日期」：必填项为空。请填写后重新报送。")
        // The authenticated bureau replaces whatever the submission claims.
        let json = #"{"householdID":"H1","region":"220102001001","decision":"riskEliminated","date":"2024-08-01","bureau":"someone"}"#
        let decided = try parse(.decision, json, overrides: ["bureau": "county-220102"]).event.decode(BureauDecisionRecorded.self)
        XCTAssertEqual(decided.bureau, "county-220102")
        XCTAssertEqual(decided.decision, .riskEliminated)
    }

    func testSummaryWithDuplicates() {
        var s = ImportSummary()
        let ok = parse(.subsidy, validRecords.first { $0.0 == .subsidy }!.1)
        let bad = parse(.subsidy, "{}")
        for o in [ok, ok, bad] { s.count(o) }
        s.markDuplicate()
        XCTAssertEqual([s.read, s.accepted, s.duplicate, s.rejected], [3, 1, 1, 1])
        XCTAssertTrue(s.isBalanced)
    }

    func testRecordKindNames() {
        XCTAssertEqual(RecordKind(name: "survey"), .survey)
        XCTAssertEqual(RecordKind(name: "走访探视"), .visit)
        XCTAssertNil(RecordKind(name: "x"))
        XCTAssertEqual(Set(RecordKind.allCases.map(\.chinese)).count, RecordKind.allCases.count)
    }
}

final class FingerprintTests: IntakeTestCase {
    /// Changing any one field that reaches the payload changes the fingerprint; changing only its
    /// spelling, or a column that only checks another (category/grade against the card), does not.
    func testEveryPayloadFieldIsInTheFingerprint() throws {
        let a = TestIDs.a
        let header = "身份证号,户编号,区划代码,姓名,残疾证号,残疾类别,残疾等级,劳动能力,调查年度,调查日期,是否在校生,是否孤儿"
        let base = [a, "HH1", "220102001001", "张三", a + "41", "肢体", "1", "无劳动力", "2024", "2024-05-01", "否", "否"]
        let changes: [(Int, String, Bool)] = [
            (0, TestIDs.b, true), (1, "HH2", true), (2, "220102001002", true), (3, "李四", true),
            (4, a + "42", true), (7, "弱劳动力", true), (8, "2025", true), (9, "2024-05-02", true), (10, "是", true),
            (11, "是", true),
            (5, "4", false), (6, "一级", false), (7, "none", false), (9, "2024/5/1", false), (10, "", false),
            (2, "'220102001001", false), (3, " 张三 ", false),
        ]
        func fingerprint(_ values: [String]) throws -> [UInt8]? {
            var row = values
            if values[0] != a { row[4] = values[0] + "41" }
            if values[4].hasSuffix("42") { row[6] = "2" }
            let path = try write("f.csv", header + "\n" + row.joined(separator: ",") + "\n")
            let (outcomes, _) = try readAll(path, .survey)
            XCTAssertTrue(outcomes[0].isAccepted, outcomes[0].rejection?.reason ?? "")
            return outcomes[0].fingerprint
        }
        let original = try fingerprint(base)
        // Without the category and grade columns (they only check the card): the same fingerprint.
        let shortHeader = "身份证号,户编号,区划代码,姓名,残疾证号,劳动能力,调查年度,调查日期,是否在校生,是否孤儿"
        let shortRow = base.enumerated().filter { $0.offset != 5 && $0.offset != 6 }.map(\.element)
        let shortPath = try write("short.csv", shortHeader + "\n" + shortRow.joined(separator: ",") + "\n")
        XCTAssertEqual(try readAll(shortPath, .survey).0.first?.fingerprint, original)
        for (column, value, differs) in changes {
            var row = base
            row[column] = value
            let fp = try fingerprint(row)
            if differs {
                XCTAssertNotEqual(fp, original, "changing \(header.split(separator: ",")[column]) must change it")
            } else {
                XCTAssertEqual(fp, original, "\(header.split(separator: ",")[column]) = \(value) is the same content")
            }
        }
    }
}
