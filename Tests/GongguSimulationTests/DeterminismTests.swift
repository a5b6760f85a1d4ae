import GongguCore
import GongguSimulation
import XCTest

final class DeterminismTests: XCTestCase {
    static let names = Simulator.files.map(\.name) + ["manifest.json", "ground-truth.json"]

    func digests(_ dir: TempDirectory) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in Self.names { out[name] = SHA256.hash(try dir.bytes(name)).hexString }
        return out
    }

    /// Same seed → the same bytes in every file, in two separate folders.
    func testSameSeedGivesIdenticalBytes() throws {
        let a = try TempDirectory(), b = try TempDirectory()
        try Simulator(households: 600, seed: 11).write(to: a.path)
        try Simulator(households: 600, seed: 11).write(to: b.path)
        let da = try digests(a), db = try digests(b)
        for name in Self.names {
            XCTAssertEqual(da[name], db[name], name)
        }
    }

    /// Another seed → other content (every file with per-household data differs).
    func testDifferentSeedGivesDifferentBytes() throws {
        let a = try TempDirectory(), b = try TempDirectory()
        try Simulator(households: 600, seed: 11).write(to: a.path)
        try Simulator(households: 600, seed: 12).write(to: b.path)
        let da = try digests(a), db = try digests(b)
        for name in ["survey.csv", "member.csv", "household.csv", "income.csv", "subsidy.csv", "ground-truth.json"] {
            XCTAssertNotEqual(da[name], db[name], name)
        }
    }

    /// The manifest lists every file in import order with its kind and the reference date.
    func testManifestListsFilesInImportOrder() throws {
        let dir = try TempDirectory()
        try Simulator(households: 300, seed: 5).write(to: dir.path)
        let m = try JSONValue.parse(try dir.bytes("manifest.json"))
        XCTAssertEqual(m["referenceDate"]?.stringValue, "2025-12-31")
        let files = m["files"]?.arrayValue ?? []
        XCTAssertEqual(files.compactMap { $0["kind"]?.stringValue }, Simulator.files.map(\.kind.rawValue))
        XCTAssertEqual(files.first?["file"]?.stringValue, "survey.csv")
        let kinds = files.compactMap { $0["kind"]?.stringValue }
        // The verifier must see services and deaths before the pay roll's months advance.
        XCTAssertLessThan(kinds.firstIndex(of: "project")!, kinds.firstIndex(of: "subsidy")!)
        XCTAssertLessThan(kinds.firstIndex(of: "life")!, kinds.firstIndex(of: "subsidy")!)
    }
}

final class SizeTests: XCTestCase {
    func testTooSmallProvinceIsRefused() throws {
        let dir = try TempDirectory()
        XCTAssertThrowsError(try Simulator(households: 199, seed: 1).write(to: dir.path))
    }
}
