import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// The JSON snapshot of a known scenario, pinned: snapshots are read by later builds, so the form may
/// not change by accident. The pin is what the writer of 1d9f1e2 gave; the state read back digests
/// and decides as the fold that wrote it.
final class SnapshotPinTests: XCTestCase {
    func testTheJSONSnapshotOfAKnownScenarioStaysTheSameAndReadsBack() throws {
        let events = syntheticEvents(households: 150)
        let k = events.count / 2
        var written = VerifyFold()
        for e in events[..<k] { _ = written.apply(e) }
        var w = JSONWriter(capacity: 1 << 16)
        written.writeSnapshot(to: &w)
        let pinned = "72f2c417dc40930ba85e4e7b5b0bc40fbb22f0ca6d4883477081331a7b22a190"
        XCTAssertEqual(SHA256.hash(w.bytes).hexString, pinned)
        var read = try JSONReader.read(w.bytes) { r in try VerifyFold(snapshot: &r) }
        XCTAssertEqual(read.stateDigest(), written.stateDigest())
        for e in events[k...] { XCTAssertEqual(read.apply(e), written.apply(e)) }
        XCTAssertEqual(read.stateDigest(), written.stateDigest())
    }
}
