import GongguInvestigation
import GongguNotify
import XCTest

/// The entry changes `gonggu recipients diff` lists, on the sample directory edited by text.
final class RecipientDirectoryDiffTests: XCTestCase {
    let base = RecipientDirectory.sampleDocument

    func testIdenticalDirectoriesHaveNoChange() throws {
        let a = try RecipientDirectory(text: base)
        let b = try RecipientDirectory(text: base.replacingOccurrences(of: "sample-2025.1", with: "again"))
        XCTAssertEqual(RecipientDirectoryDiff.changes(from: a, to: b), [])
    }

    func testEachKindOfChangeIsNamed() throws {
        let old = try RecipientDirectory(text: base)
        // 220182-office loses its gap notifications; 220182-bureau is revoked; the escalation period
        // changes; 220102-office is removed (nothing escalates to it).
        var text = base.replacingOccurrences(of: "\"afterDays\": 7", with: "\"afterDays\": 10")
        let office = """
            "publicKey": "GongguSampleKey220182O000000000000000000",
                  "types": ["EntitlementGap", "AssistanceDiscontinued",
            """
        XCTAssertTrue(text.contains(office))
        text = text.replacingOccurrences(
            of: office,
            with: """
                "publicKey": "GongguSampleKey220182O000000000000000000",
                      "types": ["AssistanceDiscontinued",
                """)
        let revoked = "\"url\": \"http://127.0.0.1:8089/gonggu/notify\"}],\n      \"revoked\": false"
        XCTAssertTrue(text.contains(revoked))
        text = text.replacingOccurrences(of: revoked, with: revoked.replacingOccurrences(of: "false", with: "true"))
        let removed = try XCTUnwrap(text.range(of: "    { \"id\": \"220102-office\""))
        let end = try XCTUnwrap(text.range(of: "\"revoked\": false },\n", range: removed.upperBound..<text.endIndex))
        text.removeSubrange(removed.lowerBound..<end.upperBound)
        let new = try RecipientDirectory(text: text)

        let changes = RecipientDirectoryDiff.changes(from: old, to: new)
        XCTAssertEqual(
            changes.map { "\($0.recipient) \($0.field.rawValue)" },
            [
                "* escalationDays", "220182-bureau revoked", "220182-office types", "220102-office removed",
            ])
        XCTAssertEqual(changes[0].chinese, "* 逾期上报天数：7 → 10")
        XCTAssertEqual(changes[1].chinese, "220182-bureau 撤销状态：有效 → 已撤销")
        XCTAssertEqual(
            changes[2].chinese,
            "220182-office 接收的通知种类：应享未享、帮扶措施中断、发放异常、问题已解决、监测户未落实帮扶 → "
                + "帮扶措施中断、发放异常、问题已解决、监测户未落实帮扶")
        XCTAssertTrue(changes[3].old.hasPrefix("长春市南关区残疾人联合会（county 220102"), changes[3].old)
    }
}
