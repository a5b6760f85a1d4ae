import XCTest

@testable import GongguCore

final class EventIDTests: XCTestCase {
    private let cause = EventID(high: 0x0011_2233_4455_6677, low: 0x8899_aabb_ccdd_eeff)

    /// Derived ids are part of every log ever written: replay compares them one by one, so the
    /// derivation must never change. Expected values from Python's hashlib (first 16 bytes of SHA-256).
    func testDerivedIdsAreTheFirstSixteenBytesOfTheSHA256OfTheirText() {
        XCTAssertEqual(
            EventID.derived(from: cause, "NotificationCreated|220182-bureau").description,
            "8b26f95afcb9ef014b2e912518a6ae5b")
        XCTAssertEqual(EventID.derived(from: cause, "通知", index: 7).description, "5e1865c36c10ed5209ecf73ce0610f9f")
        XCTAssertEqual(EventID.derived("notify|directory|abc").description, "417a3ab1f43ff53d96e6f5eea2f77fbd")
        for (label, index) in [("", 0), ("a|b", 12), (String(repeating: "长", count: 40), -3)] {
            XCTAssertEqual(
                EventID.derived(from: cause, label, index: index),
                EventID(bytes: SHA256.hash(Array("\(cause)|\(label)|\(index)".utf8))), label)
        }
    }

    func testDescriptionIsThirtyTwoLowercaseHexDigitsThatParseBack() {
        XCTAssertEqual(cause.description, "00112233445566778899aabbccddeeff")
        XCTAssertEqual(EventID.zero.description, String(repeating: "0", count: 32))
        for _ in 0..<100 {
            let id = EventID.random()
            XCTAssertEqual(id.description, id.bytes.hexString)
            XCTAssertEqual(EventID(id.description), id)
        }
    }
}
