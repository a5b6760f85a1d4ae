import GongguCore
import XCTest

/// RFC 4180 fields: as they are unless a comma, quote or line break needs quotes (quotes doubled).
final class CSVFieldTests: XCTestCase {
    func testQuotesOnlyWhatNeedsIt() {
        let cases: [(String, String)] = [
            ("", ""), ("plain", "plain"), ("户编号 220102", "户编号 220102"), ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""), ("line\nbreak", "\"line\nbreak\""), ("cr\rhere", "\"cr\rhere\""),
            ("crlf\r\n", "\"crlf\r\n\""), ("=1+1", "=1+1"),
        ]
        for (field, expected) in cases {
            var out: [UInt8] = [0x41]
            CSVField.append(field.utf8, to: &out)
            XCTAssertEqual(String(decoding: out.dropFirst(), as: UTF8.self), expected, field)
        }
    }
}
