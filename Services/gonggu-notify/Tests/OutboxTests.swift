import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

final class OutboxTests: XCTestCase {
    private func note(
        _ id: String, title: String, summary: String, household: String = "H-1", finding: String? = nil
    ) -> NotificationCreated {
        NotificationCreated(
            notificationID: id, recipient: "220102-office", sourceEventID: "ab", sourceType: "EntitlementGap",
            region: "220102001001", householdID: household, title: title, summary: summary, created: "2025-03-01",
            findingID: finding, sourcePayload: #"{"findingID":"gap|x|nursing","title":"t"}"#)
    }

    func testCSVHasBOMChineseHeadersAndCRLF() {
        let bytes = Outbox.csv([])
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        XCTAssertEqual(text, "通知编号,类型,性质,区划代码,户编号,标题,内容,生成日期,来源事件编号,督办原通知编号,问题编号,处理结果,处理日期\r\n")
    }

    /// Table: RFC 4180 quoting of one field.
    func testFieldQuoting() {
        let cases: [(String, String)] = [
            ("普通文本", "普通文本"),
            ("a,b", "\"a,b\""),
            ("他说\"你好\"", "\"他说\"\"你好\"\"\""),
            ("第一行\n第二行", "\"第一行\n第二行\""),
            ("回车\r\n换行", "\"回车\r\n换行\""),
            ("", ""),
        ]
        for (input, expected) in cases { XCTAssertEqual(Outbox.csvField(input), expected, input) }
    }

    func testCSVRowsQuoteAndDefuseFormulas() {
        let rows = [
            note(
                "n1", title: "待遇缺口：护理补贴", summary: "户主王某，重度残疾，未享受护理补贴, 请核实。",
                finding: "gap|x|nursing"),
            note("n2", title: "=HYPERLINK(\"x\")", summary: "第一行\n第二行 \"引号\""),
        ]
        let text = String(decoding: Outbox.csv(rows).dropFirst(3), as: UTF8.self)
        let expected = "通知编号,类型,性质,区划代码,户编号,标题,内容,生成日期,来源事件编号,督办原通知编号,问题编号,处理结果,处理日期\r\n"
            + "n1,应享未享,通知,220102001001,H-1,待遇缺口：护理补贴,\"户主王某，重度残疾，未享受护理补贴, 请核实。\","
            + "2025-03-01,ab,,gap|x|nursing,,\r\n"
            + "n2,应享未享,通知,220102001001,H-1,\"'=HYPERLINK(\"\"x\"\")\","
            + "\"第一行\n第二行 \"\"引号\"\"\",2025-03-01,ab,,,,\r\n"
        XCTAssertEqual(text, expected)
    }

    func testJSONLinesCarryTheWireMessageWithSource() throws {
        let rows = [note("n1", title: "一", summary: "甲"), note("n2", title: "二", summary: "乙\n丙")]
        let text = String(decoding: Outbox.jsonLines(rows), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines.last, "")
        for (line, n) in zip(lines, rows) {
            let decoded = try RecipientMessage.decode(String(line), maxBytes: RecipientMessage.maxNotificationBytes)
            XCTAssertEqual(decoded, .notification(n))
        }
    }

    func testFileNamesAndDailyOutboxFromTheFold() {
        XCTAssertEqual(
            Outbox.fileName(recipient: "220102-office", date: "2025-03-02", format: .csv),
            "220102-office-2025-03-02.csv")
        XCTAssertEqual(
            Outbox.fileName(recipient: "220102-office", date: "2025-03-02", format: .jsonl),
            "220102-office-2025-03-02.jsonl")
        var s = Script()
        s.directory()
        s.upstream("EntitlementGap", household: "H-1", region: "220102001001", day: day0)
        s.upstream("PaymentAnomaly", household: "H-2", region: "220102001002", day: day0 + 1)
        s.upstream("EntitlementGap", household: "H-3", region: "220182001001", day: day0)
        let fold = runFold(s.events).fold
        let files = fold.outbox(for: "220102-office", date: "2025-03-01")
        XCTAssertEqual(files.map(\.name), ["220102-office-2025-03-01.csv", "220102-office-2025-03-01.jsonl"])
        let csv = String(decoding: files[0].bytes.dropFirst(3), as: UTF8.self)
        XCTAssertEqual(csv.components(separatedBy: "\r\n").count, 3, "header, one row (H-1), final empty")
        XCTAssertTrue(csv.contains(",H-1,"))
        XCTAssertFalse(csv.contains("H-3"), "never another county's")
        let next = fold.outbox(for: "220102-office", date: "2025-03-02")
        XCTAssertEqual(String(decoding: next[1].bytes, as: UTF8.self).split(separator: "\n").count, 2)
    }
}
