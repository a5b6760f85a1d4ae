import GongguCore
import XCTest

@testable import GongguIntake

/// Control characters and invisible characters inside values. Identifiers, codes,
/// names and every other single-line field refuse them all; free-text notes keep TAB and line breaks
/// (a quoted CSV cell delivers them legitimately) but refuse the other controls (docs/INTAKE.md,
/// "Control and invisible characters").
final class ControlCharacterTests: IntakeTestCase {
    private let visitHeader = "户编号,区划代码,走访日期,走访人,备注"

    /// A control character (NUL, ESC, DEL, C1 NEL, TAB inside a code) in any field of a record is a
    /// `text.control` rejection naming line and field, accounted as rejected.
    func testControlCharactersAreRefusedInEveryField() throws {
        let controls: [(String, String)] = [
            ("\u{0}", "U+0000"), ("\u{1B}", "U+001B"), ("\u{7F}", "U+007F"), ("\u{85}", "U+0085"),
        ]
        for field in surveyHeader.split(separator: ",").map(String.init) {
            for (control, codePoint) in controls {
                let original = surveyRow([:]).split(separator: ",", omittingEmptySubsequences: false)
                let index = surveyHeader.split(separator: ",").firstIndex { String($0) == field }!
                let value = String(original[index])
                // In the middle of the value and at its end (`HBAD-0000002\0`).
                for spoiled in [String(value.prefix(1)) + control + value.dropFirst(), value + control] {
                    let r = try XCTUnwrap(
                        try rejection(.survey, header: surveyHeader, row: surveyRow([field: spoiled])), field)
                    XCTAssertEqual(r.code, "text.control", "\(field) \(codePoint): \(r.reason)")
                    XCTAssertEqual(r.field, field)
                    XCTAssertEqual(r.file, "one.csv")
                    XCTAssertTrue(r.reason.hasPrefix("第2行「\(field)」：含有控制字符（\(codePoint)）"), r.reason)
                    XCTAssertFalse(r.reason.contains(TestIDs.a), "reason must not quote the ID")
                }
            }
        }
    }

    /// The tester's case: `HBAD-0000002` and `HBAD-0000002\0` must not become two households.
    func testTrailingNULDoesNotMakeASecondHousehold() throws {
        let path = try write(
            "two.csv",
            surveyHeader + "\n" + surveyRow(["户编号": "HBAD-0000002"]) + "\n"
                + surveyRow(["户编号": "HBAD-0000002\u{0}", "身份证号": TestIDs.b, "残疾证号": TestIDs.b + "41"]) + "\n")
        let (outcomes, summary) = try readAll(path, .survey)
        XCTAssertEqual(summary.read, 2)
        XCTAssertEqual(summary.accepted, 1)
        XCTAssertEqual(summary.rejected, 1)
        XCTAssertEqual(outcomes[1].rejection?.code, "text.control")
        XCTAssertEqual(outcomes[1].rejection?.line, 3)
    }

    /// A TAB inside an identifier is refused too (only leading and trailing blanks are trimmed).
    func testTabInsideAnIdentifierIsRefused() throws {
        let r = try rejection(.survey, header: surveyHeader, row: surveyRow(["户编号": "HH\t1"]))
        XCTAssertEqual(r?.code, "text.control")
        XCTAssertEqual(r?.field, "户编号")
    }

    /// Zero-width space, BOM, word joiner and a bidirectional override inside an identifier or name
    /// are refused (`text.invisible`): they make two values that print alike.
    func testInvisibleCharactersAreRefusedInIdentifiersAndNames() throws {
        for field in ["户编号", "姓名", "残疾类别"] {
            for (invisible, codePoint) in [("\u{200B}", "U+200B"), ("\u{FEFF}", "U+FEFF"), ("\u{2060}", "U+2060"),
                                          ("\u{202E}", "U+202E")] {
                let r = try XCTUnwrap(
                    try rejection(.survey, header: surveyHeader, row: surveyRow([field: "张" + invisible + "三"])))
                XCTAssertEqual(r.code, "text.invisible", "\(field) \(codePoint): \(r.reason)")
                XCTAssertEqual(r.field, field)
                XCTAssertTrue(r.reason.hasPrefix("第2行「\(field)」：含有不可见字符（\(codePoint)）"), r.reason)
            }
        }
    }

    /// Notes keep TAB and line breaks delivered inside a quoted CSV cell, and zero-width characters;
    /// other controls are refused there too.
    func testNotesKeepTabAndLineBreaksButRefuseOtherControls() throws {
        let ok = try write(
            "visit.csv", visitHeader + "\n" + "H1,220102001001,2024-05-01,王干事,\"第一行\t说明\r\n第二行\u{200B}\"\n")
        let (outcomes, _) = try readAll(ok, .visit)
        XCTAssertTrue(outcomes[0].isAccepted, outcomes[0].rejection?.reason ?? "")
        for control in ["\u{0}", "\u{7}", "\u{7F}", "\u{9B}"] {
            let r = try rejection(.visit, header: visitHeader, row: "H1,220102001001,2024-05-01,王干事,说明\(control)")
            XCTAssertEqual(r?.code, "text.control")
            XCTAssertEqual(r?.field, "备注")
        }
        // The visitor is a name: a line break there is refused.
        let r = try rejection(.visit, header: visitHeader, row: "H1,220102001001,2024-05-01,\"王\n干事\",说明")
        XCTAssertEqual(r?.code, "text.control")
        XCTAssertEqual(r?.field, "走访人")
    }

    /// JSON Lines deliver controls as `\u0000` escapes; they are refused the same way.
    func testJSONEscapedControlsAreRefused() throws {
        let path = try write(
            "v.jsonl", #"{"户编号":"H1\u0000","区划代码":"220102001001","走访日期":"2024-05-01"}"# + "\n")
        let (outcomes, summary) = try readAll(path, .visit)
        XCTAssertEqual(summary.rejected, 1)
        XCTAssertEqual(outcomes[0].rejection?.code, "text.control")
        XCTAssertEqual(outcomes[0].rejection?.field, "户编号")
        XCTAssertEqual(outcomes[0].rejection?.line, 1)
    }
}
