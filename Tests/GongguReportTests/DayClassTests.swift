import GongguReport
import XCTest

/// The day classes of the report's histograms: each bound falls in the class it closes, the day after
/// in the next; labels in order.
final class DayClassTests: XCTestCase {
    func testAgeClassBounds() {
        let expected: [(Int, AgeClass)] = [
            (-1, .upTo30), (0, .upTo30), (30, .upTo30), (31, .upTo90), (90, .upTo90), (91, .upTo180),
            (180, .upTo180), (181, .upTo365), (365, .upTo365), (366, .over365), (10_000, .over365),
        ]
        for (days, c) in expected { XCTAssertEqual(AgeClass(days: days), c, "\(days) days") }
        XCTAssertEqual(AgeClass.allCases.map(\.chinese), ["30天以内", "31–90天", "91–180天", "181–365天", "超过1年"])
    }

    func testResponseClassBounds() {
        let expected: [(Int, ResponseClass)] = [
            (-2, .sameDay), (0, .sameDay), (1, .upTo3), (3, .upTo3), (4, .upTo7), (7, .upTo7), (8, .upTo14),
            (14, .upTo14), (15, .upTo30), (30, .upTo30), (31, .upTo60), (60, .upTo60), (61, .over60),
        ]
        for (days, c) in expected { XCTAssertEqual(ResponseClass(days: days), c, "\(days) days") }
        XCTAssertEqual(
            ResponseClass.allCases.map(\.chinese), ["当天", "1–3天", "4–7天", "8–14天", "15–30天", "31–60天", "60天以上"])
    }
}
