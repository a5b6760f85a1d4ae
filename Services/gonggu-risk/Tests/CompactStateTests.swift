import GongguCore
import GongguEvents
import XCTest

@testable import GongguRisk

/// The risk monitor's state kept compact (packed person ids, households in pages, fields without
/// padding) decides, digests and snapshots exactly as before: the outputs and digest of the synthetic
/// province are pinned to what the fold of 131e38c (before the compaction) gave, and a state read back
/// from its snapshot continues exactly as the fold that wrote it.
final class CompactStateTests: XCTestCase {
    /// More households than one page holds, so slots cross pages.
    static let events = SyntheticProvince.events(households: HouseholdPages.pageSize + 300, years: 2023...2024)

    /// SHA-256 of every output's canonical bytes, in order.
    static func outputsHash(_ outputs: [Event]) -> String {
        var h = SHA256()
        for e in outputs { h.update(CanonicalEncoding.encode(e)) }
        return h.finalize().hexString
    }

    func testOutputsAndDigestAreThoseOfTheFoldBeforeTheCompaction() {
        let run = Run(Self.events)
        XCTAssertGreaterThan(run.fold.householdCount, HouseholdPages.pageSize)
        // Computed with the fold of 131e38c (Services/gonggu-risk/Fold as it was), same stream.
        XCTAssertEqual(run.outputs.count, Self.pinnedOutputCount)
        XCTAssertEqual(Self.outputsHash(run.outputs), Self.pinnedOutputsHash)
        XCTAssertEqual(run.fold.stateDigest(), Self.pinnedDigest)
    }

    static let pinnedOutputCount = 20458
    static let pinnedOutputsHash = "9ded81695c3177a8ff847dfff89d88da840b9b884948e5bd7f74cbecc31c016f"
    static let pinnedDigest = "ab48f54b617ce53103e9204f13d9b678ad658ca21289f7ab9b69bcd8eb154e1d"

    func testABinarySnapshotReadBackDecidesAsTheFoldThatWroteIt() throws {
        let k = Self.events.count * 2 / 3
        var written = Run(Array(Self.events[..<k])).fold
        var w = SnapshotBinaryWriter()
        written.writeBinarySnapshot(to: &w)
        var read = try w.bytes.withUnsafeBytes { bytes -> RiskFold in
            var r = SnapshotBinaryReader(bytes)
            let fold = try RiskFold(binarySnapshot: &r)
            XCTAssertTrue(r.isAtEnd)
            return fold
        }
        XCTAssertEqual(read.stateDigest(), written.stateDigest())
        for e in Self.events[k...] { XCTAssertEqual(read.apply(e), written.apply(e)) }
        XCTAssertEqual(read.stateDigest(), written.stateDigest())
        XCTAssertEqual(read.view(household: "HH5"), written.view(household: "HH5"))
        XCTAssertEqual(read.members(household: "HH1100"), written.members(household: "HH1100"))
    }

    func testAJSONSnapshotReadBackDecidesAsTheFoldThatWroteIt() throws {
        let k = Self.events.count / 2
        var written = Run(Array(Self.events[..<k])).fold
        var w = JSONWriter(capacity: 1 << 16)
        written.writeSnapshot(to: &w)
        var read = try JSONReader.read(w.bytes) { r in try RiskFold(snapshot: &r) }
        XCTAssertEqual(read.stateDigest(), written.stateDigest())
        for e in Self.events[k...] { XCTAssertEqual(read.apply(e), written.apply(e)) }
        XCTAssertEqual(read.stateDigest(), written.stateDigest())
    }

    // MARK: Person ids

    func testAResidentIDIsPackedAndGivenBackExactly() {
        for id in ["22010219600101001X", "220102196001010010", "000000000000000000", "99999999999999999X",
                   "110101190001010019"] {
            let key = PersonKey(id)
            guard case .resident = key else { return XCTFail("\(id) not packed") }
            XCTAssertEqual(key.text, id)
            XCTAssertEqual(PersonKey(key.text), key)
        }
    }

    func testOtherIdsAreKeptAsText() {
        for id in ["", "P1", "22010219600101001x", "2201021960010100", "22010219600101001XX", "2201021960010100A1",
                   "22010219600101001Y", "２２010219600101001X", "22010219600101 01X", "2201021960010100١X",
                   "测试测试测试测试测试测试测试测试测试测试"] {
            let key = PersonKey(id)
            XCTAssertEqual(key, .text(id), id)
            XCTAssertEqual(key.text, id)
        }
    }

    func testKeysAreEqualExactlyWhenTheIdsAre() {
        let ids = ["22010219600101001X", "220102196001010010", "220102196001010011", "22010219600101001x", "P1",
                   "e\u{301}", "\u{e9}"]
        for a in ids {
            for b in ids { XCTAssertEqual(PersonKey(a) == PersonKey(b), a == b, "\(a) \(b)") }
        }
    }

    func testAMemberIsFortyBytes() {
        XCTAssertEqual(MemoryLayout<Member>.stride, 40)
        XCTAssertEqual(MemoryLayout<HouseholdState>.stride, 256)
    }

    // MARK: Pages

    func testPagesKeepEverySlotAndCopyOnlyWhatChanges() {
        var pages = HouseholdPages.make()
        let n = HouseholdPages.pageSize * 2 + 5
        for i in 0..<n { pages.append(HouseholdState(region: "r\(i)")) }
        XCTAssertEqual(pages.count, n)
        XCTAssertEqual(pages.map(\.region), (0..<n).map { "r\($0)" })
        let copy = pages
        pages[HouseholdPages.pageSize].region = "changed"
        pages[n - 1].lastDay = 7
        XCTAssertEqual(copy[HouseholdPages.pageSize].region, "r\(HouseholdPages.pageSize)")
        XCTAssertEqual(copy[n - 1].lastDay, noDay)
        XCTAssertEqual(pages[HouseholdPages.pageSize].region, "changed")
        XCTAssertEqual(pages[n - 1].lastDay, 7)
        XCTAssertEqual(Array(pages.indices), Array(0..<n))
    }
}
