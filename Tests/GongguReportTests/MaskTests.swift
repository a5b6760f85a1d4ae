import GongguCore
@testable import GongguReport
import XCTest

/// The case lists mask resident IDs exactly as `PersonalDataMask.maskID` does, also on the byte path
/// taken for printable ASCII.
final class MaskTests: XCTestCase {
    func testMaskedEqualsPersonalDataMask() {
        let ids = [
            "220101197508081230", "22010119750808123X", "123456789", "1234567890", "", "ab\r\ncdefghijk",
            "２２０１０１１９７５０８０８１２３０", "220101 1975 0808 1230", "é220101197508081230", "=1+2345678901",
        ]
        for id in ids { XCTAssertEqual(CSVRenderer.masked(id), PersonalDataMask.maskID(id), id) }
    }
}
