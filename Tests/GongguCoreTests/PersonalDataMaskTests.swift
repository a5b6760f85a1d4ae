import XCTest

@testable import GongguCore

final class PersonalDataMaskTests: XCTestCase {
    func testMaskID() {
        XCTAssertEqual(PersonalDataMask.maskID("220102198001011237"), "220102********1237")
        XCTAssertEqual(PersonalDataMask.maskID("22010219800101123X"), "220102********123X")
        XCTAssertEqual(PersonalDataMask.maskID("220102800101123"), "220102*****1123")
        XCTAssertEqual(PersonalDataMask.maskID("12345"), "*****")
    }

    /// The byte path taken for printable ASCII masks exactly as the character definition does.
    func testMaskIDOnBytesEqualsMaskingByCharacters() {
        let ids = [
            "220101197508081230", "22010119750808123X", "123456789", "1234567890", "", "ab\r\ncdefghijk",
            "２２０１０１１９７５０８０８１２３０", "220101 1975 0808 1230", "é220101197508081230", "=1+2345678901",
        ]
        for id in ids { XCTAssertEqual(PersonalDataMask.maskID(id), PersonalDataMask.maskIDByCharacters(id), id) }
    }

    func testMaskText() {
        let cases: [(String, String)] = [
            ("id 220102198001011237 ok", "id 220102********1237 ok"),
            ("x:22010219800101123X,y", "x:220102********123X,y"),
            ("{\"p\":\"22010219800101123x\"}", "{\"p\":\"220102********123x\"}"),
            ("old 220102800101123.", "old 220102*****1123."),
            ("card 22010219800101123742", "card 220102**********3742"),
            ("short 12345678901234 stays", "short 12345678901234 stays"),
            ("region 220102001001 stays", "region 220102001001 stays"),
            ("中文220102198001011237中文", "中文220102********1237中文"),
            ("", ""),
        ]
        for (input, expected) in cases { XCTAssertEqual(PersonalDataMask.maskText(input), expected, input) }
    }
}
