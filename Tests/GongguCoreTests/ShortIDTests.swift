import GongguCore
import XCTest

final class ShortIDTests: XCTestCase {
    func testGivesBackTheTextItWasMadeFrom() {
        let ids = [
            "H220523101203-0021099", "H1", "0", "-", "zZ9-aA0", "abcdefghijklmnopqrstu", "ABCDEFGHIJKLMNOPQRST",
            "abcdefghijklmnopqrstuv", "", "H220523101203_0021099", "户123", "H 1", "220102199001011234",
        ]
        for id in ids {
            XCTAssertEqual(ShortID(id).text, id, id)
            XCTAssertEqual(ShortID(ShortID(id).text), ShortID(id), id)
        }
    }

    func testPacksShortASCIIAndKeepsTheRestAsText() {
        for id in ["H220523101203-0021099", "a", "abcdefghijklmnopqrstu"] {
            guard case .packed = ShortID(id) else { return XCTFail("not packed: \(id)") }
        }
        for id in ["", "abcdefghijklmnopqrstuv", "H_1", "户1", "H 1"] {
            XCTAssertEqual(ShortID(id), .text(id), id)
        }
    }

    func testEqualityIsTheTextsEquality() {
        let ids = ["H1", "H10", "H1-", "h1", "1H", "H220523101203-0021099", "H220523101203-0021098", "-", "--", "0", "00"]
        for a in ids {
            for b in ids { XCTAssertEqual(ShortID(a) == ShortID(b), a == b, "\(a) \(b)") }
        }
        // Every character of the alphabet at every position survives (the word boundary included).
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")
        for position in 0..<21 {
            for c in alphabet {
                var chars = Array(repeating: Character("5"), count: 21)
                chars[position] = c
                let id = String(chars)
                XCTAssertEqual(ShortID(id).text, id)
                XCTAssertEqual(ShortID(String(chars.prefix(position + 1))).text, String(chars.prefix(position + 1)))
            }
        }
    }
}
