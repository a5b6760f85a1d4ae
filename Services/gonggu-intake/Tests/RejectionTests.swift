import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

/// Every kind of bad value: its code, the field named as headed in the file, and a Chinese
/// reason naming line and field.
final class RejectionTests: IntakeTestCase {

    func testBaseRowIsAccepted() throws {
        let path = try write("ok.csv", surveyHeader + "\n" + surveyRow([:]) + "\n")
        let (outcomes, _) = try readAll(path, .survey)
        XCTAssertTrue(outcomes[0].isAccepted, outcomes[0].rejection?.reason ?? "")
    }

    func testSurveyRejections() throws {
        let a = TestIDs.a
        let otherValid = TestIDs.b
        let cases: [(field: String, value: String, code: String)] = [
            ("身份证号", "2.20102E+17", "id.excel_scientific"),
            ("身份证号", String(TestIDs.withX.dropLast()), "id.excel_lost_x"),
            ("身份证号", String(a.dropLast()) + "9", "id.checksum"),
            ("身份证号", "220102199002300012", "id.birthdate"),
            ("身份证号", "2201021980", "id.length"),
            ("身份证号", "", "value.missing"),
            ("残疾证号", "2.20102E+19", "card.excel_scientific"),
            ("残疾证号", a + "4", "card.length"),
            ("残疾证号", otherValid + "41", "card.id_mismatch"),
            ("残疾证号", a + "81", "card.category"),
            ("残疾证号", a + "45", "card.grade"),
            ("残疾类别", "视力", "card.category_mismatch"),
            ("残疾等级", "二级", "card.grade_mismatch"),
            ("残疾类别", "很重", "enum.invalid"),
            ("区划代码", "2201020010", "region.length"),
            ("区划代码", "110101001001", "region.province"),
            ("区划代码", "22010200100A", "region.characters"),
            ("区划代码", "2.20102E+11", "region.excel_scientific"),
            ("户编号", "", "value.missing"),
            ("户编号", "1.23457E+15", "key.excel_scientific"),
            ("劳动能力", "强壮", "enum.invalid"),
            ("调查年度", "24", "year.invalid"),
            ("是否孤儿", "也许", "flag.invalid"),
            ("姓名", String(repeating: "长", count: 51), "text.too_long"),
        ]
        for c in cases {
            let r = try XCTUnwrap(try rejection(.survey, header: surveyHeader, row: surveyRow([c.field: c.value])), c.code)
            XCTAssertEqual(r.code, c.code, "\(c.field)=\(c.value): \(r.reason)")
            XCTAssertEqual(r.field, c.field, c.code)
            XCTAssertEqual(r.line, 2)
            XCTAssertEqual(r.kind, "survey")
            XCTAssertEqual(r.file, "one.csv")
            XCTAssertTrue(r.reason.hasPrefix("第2行「\(c.field)」："), r.reason)
            XCTAssertEqual(r.raw, surveyRow([c.field: c.value]))
            XCTAssertFalse(r.reason.contains(a), "reason must not quote the ID")
        }
    }

    func testRejectionEventEnvelope() throws {
        let path = try write("r.csv", surveyHeader + "\n" + surveyRow(["劳动能力": "?"]) + "\n" + surveyRow(["区划代码": "1"]) + "\n")
        let (outcomes, summary) = try readAll(path, .survey)
        XCTAssertEqual(summary.rejected, 2)
        let e = outcomes[0].event
        XCTAssertEqual(e.type, "RecordRejected")
        XCTAssertEqual(e.subject, "r.csv")
        XCTAssertEqual(e.region, "220102001001")  // the record's own region when readable
        XCTAssertEqual(outcomes[1].event.region, "22")  // else the policy default
        XCTAssertEqual(e.occurredAt, 1_700_000_000_000)
        XCTAssertEqual(e.correlation, EventID.derived("import-r.csv"))
        XCTAssertNotEqual(outcomes[0].event.id, outcomes[1].event.id)
    }

    func testOtherKindsRejections() throws {
        let a = TestIDs.a
        let subsidyHeader = "身份证号,户编号,区划代码,补贴类型,发放月份,发放金额"
        let base = "\(a),HH1,220102001001,护理补贴,"
        let cases: [(RecordKind, String, String, String, String)] = [
            (.subsidy, subsidyHeader, base + "2024-01,-80", "amount.negative", "发放金额"),
            (.subsidy, subsidyHeader, base + "2024-01,80.123", "amount.decimals", "发放金额"),
            (.subsidy, subsidyHeader, base + "2024-01,八十", "amount.invalid", "发放金额"),
            (.subsidy, subsidyHeader, base + "2024-13,80", "month.invalid", "发放月份"),
            (.subsidy, subsidyHeader, base + "一月,80", "month.format", "发放月份"),
            (.subsidy, subsidyHeader, "\(a),HH1,220102001001,交通补贴,2024-01,80", "enum.invalid", "补贴类型"),
            (.expense, "户编号,区划代码,支出类型,自付金额,发生日期", "HH1,220102001001,住院,6000,2023-02-30", "date.invalid", "发生日期"),
            (.expense, "户编号,区划代码,支出类型,自付金额,发生日期", "HH1,220102001001,住院,6000,昨天", "date.format", "发生日期"),
            (.assistance, "户编号,区划代码,救助类型,起始年月,停止年月", "HH1,220102001001,低保,2024-05,2024-01", "month.order", "停止年月"),
            (.assistance, "户编号,区划代码,救助类型,起始年月,停止原因", "HH1,220102001001,低保,2024-05,死亡", "month.stop_missing", "停止年月"),
            (.income, "户编号,区划代码,年度,家庭纯收入（元）,家庭人口数,核算日期", "HH1,220102001001,2024,9000,0,2024-12-01", "count.invalid", "家庭人口数"),
            (.document, "文件编号,文件类别,成文日期,文件哈希", "D1,政策,2024-01-01,abc", "hash.invalid", "文件哈希"),
            (.document, "文件编号,文件类别,成文日期,文件哈希,区划代码", "D1,政策,2024-01-01,\(String(repeating: "a", count: 64)),2201021", "region.length", "区划代码"),
            (.visit, "户编号,区划代码,走访日期,困难情况", "HH1,220102001001,2024-03-01,疾病、发财", "enum.invalid", "困难情况"),
            (.decision, "户编号,区划代码,决定类型,决定日期", "HH1,220102001001,再议,2024-03-01", "enum.invalid", "决定类型"),
            (.life, "户编号,区划代码,身份证号,事件类型,发生日期", "HH1,220102001001,\(a),失踪,2024-03-01", "enum.invalid", "事件类型"),
            (.pension, "户编号,区划代码,身份证号,年度,是否参保", "HH1,220102001001,\(a),2024,", "value.missing", "是否参保"),
        ]
        for (kind, header, row, code, field) in cases {
            let r = try XCTUnwrap(try rejection(kind, header: header, row: row), code)
            XCTAssertEqual(r.code, code, "\(kind) \(row): \(r.reason)")
            XCTAssertEqual(r.field, field, code)
            XCTAssertTrue(r.reason.hasPrefix("第2行「\(field)」："), r.reason)
        }
    }

    func testMissingColumnsRefuseTheWholeFile() throws {
        let path = try write("m.csv", "姓名,户编号,区划代码,劳动能力\n张三,HH1,220102001001,无劳动力\n")
        let e = try XCTUnwrap(fileError(path, .survey))
        XCTAssertEqual(e.code, .missingColumns)
        for name in ["身份证号", "残疾证号", "调查年度"] { XCTAssertTrue(e.message.contains(name), e.message) }
        XCTAssertFalse(e.message.contains("姓名"))
    }

    func testDuplicateColumnIsRefused() throws {
        let path = try write("d.csv", "身份证号,公民身份号码,户编号,区划代码,劳动能力,入户日期\n")
        XCTAssertEqual(fileError(path, .member)?.code, .duplicateColumn)
    }
}
