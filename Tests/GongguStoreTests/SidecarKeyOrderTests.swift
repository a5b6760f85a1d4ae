import XCTest

@testable import GongguStore

/// The sidecar inserts each batch in its tables' key order; subjects compare as SQLite's BINARY
/// collation does (bytes), which is not Swift's `String` order. SQLite itself is the oracle here.
final class SidecarKeyOrderTests: XCTestCase {
    func testSubjectsCompareAsSQLiteBinaryCollation() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        let pairs: [(String, String)] = [
            ("", ""), ("", "a"), ("a", "ab"), ("ab", "b"), ("H220182-0001", "H220182-0002"),
            ("Z", "a"), ("é", "z"), ("e\u{301}", "é"), ("户1", "户2"), ("户", "ｚ"), ("220182199001011234", "22018219900101123X"),
            ("same", "same"), ("a\u{0}b", "a"),
        ]
        for (a, b) in pairs {
            for (x, y) in [(a, b), (b, a)] {
                let s = try db.prepare("SELECT CASE WHEN ?1 < ?2 THEN -1 WHEN ?1 = ?2 THEN 0 ELSE 1 END")
                try s.bind(x, at: 1)
                try s.bind(y, at: 2)
                XCTAssertTrue(try s.step())
                let sqlite = Int(s.int64(at: 0))
                XCTAssertEqual(LogIndex.utf8Compare(x, y).signum(), sqlite, "\(x.debugDescription) vs \(y.debugDescription)")
            }
        }
    }
}
