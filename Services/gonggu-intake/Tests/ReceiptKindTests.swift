import GongguCore
import GongguEvents
import XCTest

@testable import GongguIntake

/// The `receipt` kind (docs/INTAKE.md, "Receipts") reads an office's returned outbox file (通知编号, 处理结果,
/// 处理日期; the outbox's other columns ignored) into `ReceiptRecorded`, checked against the notifier.
final class ReceiptKindTests: IntakeTestCase {
    static let open = String(repeating: "a1", count: 16)
    static let closed = String(repeating: "c2", count: 16)
    static let bureau = String(repeating: "b3", count: 16)
    static let unknown = String(repeating: "d4", count: 16)
    static let header = "通知编号,类型,性质,区划代码,户编号,标题,内容,生成日期,来源事件编号,督办原通知编号,问题编号,处理结果,处理日期"

    /// The notifier as the service asks it: one open and one closed outbox notification created on
    /// 2023-11-01, one for a bureau without the outbox channel.
    static let lookup: ReceiptLookup = { id in
        switch id {
        case open: return .open(recipient: "220102-office", created: "2023-11-01")
        case closed: return .closed(recipient: "220102-office", created: "2023-11-01")
        case bureau: return .notOutbox(recipient: "220102-bureau")
        default: return .unknown
        }
    }

    /// A returned outbox row: the outbox columns as written, then 处理结果 and 处理日期.
    static func row(_ id: String, result: String, date: String) -> String {
        "\(id),应享未享,通知,220102001002,H3,待遇缺口,内容,2023-11-01,ab,,gap|H3|nursing,\(result),\(date)"
    }

    private func read(_ rows: [String]) throws -> ([IntakeOutcome], ImportSummary) {
        let path = try write("220102-office-2023-11-01.csv", ([Self.header] + rows).joined(separator: "\r\n") + "\r\n")
        var ctx = context(.receipt, "220102-office-2023-11-01.csv")
        ctx.receiptLookup = Self.lookup
        let reader = try IntakeReader(path: path, context: ctx)
        var outcomes: [IntakeOutcome] = []
        try reader.forEach { outcomes.append($0) }
        XCTAssertTrue(reader.summary.isBalanced)
        return (outcomes, reader.summary)
    }

    func testKindNamesAndFields() {
        XCTAssertEqual(RecordKind(name: "receipt"), .receipt)
        XCTAssertEqual(RecordKind(name: "通知处理回执"), .receipt)
        XCTAssertEqual(RecordKind.receipt.eventType, ReceiptRecorded.eventType)
        XCTAssertEqual(RecordKind.receipt.fields.map(\.chinese), ["通知编号", "处理结果", "处理日期", "区划代码"])
    }

    /// Table: good rows — date spellings, with and without a result, Excel's apostrophe on the id.
    func testGoodRows() throws {
        let cases: [(String, String, String, String, String?)] = [
            ("ISO date and a result", Self.open, "已入户核实，补贴已补发", "2023-11-03", "已入户核实，补贴已补发"),
            ("date only", Self.open, "", "2023/11/3", nil),
            ("Chinese date", Self.open, "已处理", "2023年11月3日", "已处理"),
            ("Excel serial date", Self.open, "已处理", "45233", "已处理"),
            ("Excel text marker and capitals", "'" + Self.open.uppercased(), "已处理", "2023-11-03", "已处理"),
            ("on the created day", Self.open, "当天处理", "2023-11-01", "当天处理"),
            ("result with comma and quotes", Self.open, "\"核实后, 已发放\"\"护理补贴\"\"\"", "2023-11-03",
             "核实后, 已发放\"护理补贴\""),
        ]
        for (name, id, result, date, expected) in cases {
            let (outcomes, summary) = try read([Self.row(id, result: result, date: date)])
            XCTAssertEqual(summary.accepted, 1, name)
            guard case let .accepted(e, _, key)? = outcomes.first else {
                XCTFail("\(name): \(outcomes.first?.rejection?.reason ?? "nothing")")
                continue
            }
            let p = try e.decode(ReceiptRecorded.self)
            XCTAssertEqual(p.notificationID, Self.open, name)
            XCTAssertEqual(p.result, expected, name)
            XCTAssertEqual(e.type, "ReceiptRecorded", name)
            XCTAssertEqual(e.subject, Self.open, name)
            XCTAssertEqual(e.region, "220102001002", name)
            XCTAssertEqual(p.source.file, "220102-office-2023-11-01.csv", name)
            XCTAssertEqual(p.source.line, 2, name)
            XCTAssertEqual(key, "receipt|\(Self.open)", name)
        }
        let (outcomes, _) = try read([Self.row(Self.open, result: "", date: "2023-11-03")])
        XCTAssertEqual(try outcomes.first?.event.decode(ReceiptRecorded.self).date, "2023-11-03")
        let day = try XCTUnwrap(BusinessCalendar.dayNumber("2023-11-03"))
        XCTAssertEqual(outcomes.first?.event.occurredAt, CivilDate.chinaMidnight(days: day))
    }

    /// Table: every rejection, with its code, field and the Chinese reason naming line and field.
    func testRejections() throws {
        let cases: [(String, String, String, String, String, String, String)] = [
            ("row left unfilled", Self.open, "", "", "receipt.unfilled", "处理日期", "处理结果和处理日期都没有填写"),
            ("result without date", Self.open, "已处理", "", "value.missing", "处理日期", "必填项为空"),
            ("id deleted", "", "已处理", "2023-11-03", "value.missing", "通知编号", "通知编号"),
            ("id edited", "12345", "已处理", "2023-11-03", "receipt.id_format", "通知编号", "32位十六进制"),
            ("id turned into scientific notation", "1.23457E+31", "已处理", "2023-11-03", "key.excel_scientific",
             "通知编号", "科学计数法"),
            ("date not a date", Self.open, "已处理", "下周", "date.format", "处理日期", "无法识别为日期"),
            ("date does not exist", Self.open, "已处理", "2023-02-30", "date.invalid", "处理日期", "不是真实存在的日期"),
            ("date before the notification", Self.open, "已处理", "2023-10-31", "receipt.date_before_created", "处理日期",
             "早于通知生成日期（2023-11-01）"),
            ("date after the import", Self.open, "已处理", "2099-01-01", "receipt.date_future", "处理日期", "晚于导入当天"),
            ("unknown notification", Self.unknown, "已处理", "2023-11-03", "receipt.unknown", "通知编号", "没有这个通知编号"),
            ("bureau notification", Self.bureau, "已处理", "2023-11-03", "receipt.not_outbox", "通知编号",
             "不通过通知文件接收通知"),
            ("result too long", Self.open, String(repeating: "长", count: 501), "2023-11-03", "text.too_long", "处理结果",
             "超过500个字"),
        ]
        for (name, id, result, date, code, field, text) in cases {
            let (outcomes, summary) = try read([Self.row(id, result: result, date: date)])
            XCTAssertEqual(summary.rejected, 1, name)
            guard let r = outcomes.first?.rejection else {
                XCTFail("\(name): accepted")
                continue
            }
            XCTAssertEqual(r.code, code, name)
            XCTAssertEqual(r.field, field, name)
            XCTAssertEqual(r.file, "220102-office-2023-11-01.csv", name)
            XCTAssertEqual(r.line, 2, name)
            XCTAssertEqual(r.kind, "receipt", name)
            XCTAssertTrue(r.reason.hasPrefix("第2行「\(field)」："), "\(name): \(r.reason)")
            XCTAssertTrue(r.reason.contains(text), "\(name): \(r.reason)")
        }
    }

    /// The notifier unreachable: rows are refused with a reason that says to import again later.
    func testNotifierUnavailable() throws {
        let path = try write("r.csv", Self.header + "\n" + Self.row(Self.open, result: "x", date: "2023-11-03") + "\n")
        var ctx = context(.receipt, "r.csv")
        ctx.receiptLookup = { _ in .unavailable }
        let reader = try IntakeReader(path: path, context: ctx)
        let r = try XCTUnwrap(reader.next()?.rejection)
        XCTAssertEqual(r.code, "receipt.unavailable")
        XCTAssertTrue(r.reason.contains("稍后重新导入"), r.reason)
    }

    /// A closed notification is no rejection: the row is accepted by intake's parser, and the service
    /// counts it as a duplicate (`ReceiptChecker.isDuplicate`) without appending it.
    func testClosedNotificationIsNotRejected() throws {
        let (outcomes, _) = try read([Self.row(Self.closed, result: "再次回执", date: "2023-11-03")])
        XCTAssertEqual(outcomes.first?.isAccepted, true)
    }

    /// Accounting over a mixed file: the office returns the whole file, rows it did not handle included;
    /// read = accepted + duplicate + rejected, and the same rows re-imported have the same fingerprints.
    func testAccountingOfAReturnedFile() throws {
        let rows = [
            Self.row(Self.open, result: "已处理", date: "2023-11-03"),
            Self.row(Self.unknown, result: "", date: ""),
            Self.row(Self.bureau, result: "已处理", date: "2023-11-03"),
            Self.row(Self.closed, result: "", date: "2023-11-02"),
            ",,,,,,,,,,,,",
            Self.row(Self.open, result: "已处理", date: "2023-10-01"),
        ]
        let (outcomes, summary) = try read(rows)
        XCTAssertEqual(summary.read, 5, "the all-empty row is skipped")
        XCTAssertEqual(summary.accepted, 2)
        XCTAssertEqual(summary.rejected, 3)
        XCTAssertEqual(outcomes.compactMap(\.rejection).map(\.line), [3, 4, 7])
        XCTAssertEqual(
            outcomes.compactMap(\.rejection).map(\.code),
            ["receipt.unfilled", "receipt.not_outbox", "receipt.date_before_created"])
        let (again, _) = try read(rows)
        XCTAssertEqual(again.compactMap(\.fingerprint), outcomes.compactMap(\.fingerprint))
    }

    /// Without a lookup (a record checked on its own), only the row's own content is checked.
    func testWithoutLookupOnlyTheRowIsChecked() throws {
        let row = Self.row(Self.unknown, result: "x", date: "2023-11-03")
        let path = try write("r.csv", Self.header + "\n" + row + "\n")
        let (outcomes, _) = try readAll(path, .receipt)
        XCTAssertEqual(outcomes.first?.isAccepted, true)
    }
}
