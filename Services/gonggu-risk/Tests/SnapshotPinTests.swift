import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// The JSON snapshot of a known province, pinned: snapshots are read by later builds, so the form may
/// not change by accident (e.g. when the snapshot writer and the digest share code). The pin is what
/// the writer of 1d9f1e2 gave.
final class SnapshotPinTests: XCTestCase {
    func testTheJSONSnapshotOfAKnownProvinceStaysTheSame() throws {
        var fold = try RiskFold()
        for e in SyntheticProvince.events(households: 400, years: 2023...2024) { _ = fold.apply(e) }
        var w = JSONWriter(capacity: 1 << 16)
        fold.writeSnapshot(to: &w)
        let pinned = "69d0ed4ec85eb3980ced6efdf0b663d2bd24cda049b7fdd26395022e210c0d4b"
        XCTAssertEqual(SHA256.hash(w.bytes).hexString, pinned)
        let read = try JSONReader.read(w.bytes) { r in try RiskFold(snapshot: &r) }
        XCTAssertEqual(read.stateDigest(), fold.stateDigest())
    }
}
