import GongguCore
import XCTest

@testable import GongguStore

final class EventLineFormatTests: StoreTestCase {
    func testLineMasksIDNumbersInSubjectAndPayload() {
        let id = Self.residentID(7)
        let event = Event(
            seq: 12, id: .derived("x"), type: "DisabilityRecorded", subject: id, region: "220102001001",
            occurredAt: 0, recordedAt: 1_767_225_600_000, payload: Array(#"{"personID":"\#(id)"}"#.utf8))
        let line = EventLineFormat.line(event)
        XCTAssertFalse(line.contains(id), line)
        let masked = PersonalDataMask.maskID(id)
        XCTAssertEqual(
            line, "12\t2026-01-01T08:00:00.000+08:00\tDisabilityRecorded\t220102001001\t\(masked)\t"
                + #"{"personID":"\#(masked)"}"#)
    }

    func testISOTimesInChinaStandardTime() {
        let cases: [(Timestamp, String)] = [
            (0, "1970-01-01T08:00:00.000+08:00"),
            (-1, "1970-01-01T07:59:59.999+08:00"),
            (951_782_400_000, "2000-02-29T08:00:00.000+08:00"),
            (1_735_660_799_999, "2024-12-31T23:59:59.999+08:00"),
        ]
        for (ms, text) in cases { XCTAssertEqual(EventLineFormat.isoCST(ms), text) }
    }
}
