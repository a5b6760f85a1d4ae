import Foundation
import GongguCore
import XCTest

/// The demo pipeline at small size — four service processes, a bureau recipient,
/// every file imported — finds exactly what was seeded, accounts for every record, and every log
/// verifies; `gonggu simulate` is byte-for-byte reproducible.
final class DemoEndToEndTests: XCTestCase {
    func run(_ args: [String]) throws -> (Int32, String) { try ServiceProcess.gonggu(args) }

    func testDemoFindsExactlyWhatWasSeeded() throws {
        let dir = try makeTemporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, output) = try run(["demo", "--households", "1000", "--seed", "7", "--dir", dir + "/demo"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("完全一致 (exact)"), output)
        XCTAssertEqual(output.components(separatedBy: "哈希链完整 hash chain intact").count - 1, 4, "all four logs verify")
        XCTAssertFalse(output.contains("✗"), "every file's counts as expected")
        // Every record read is accounted for.
        let summary = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("记录 records:") })
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        XCTAssertEqual(numbers.count, 4)
        XCTAssertEqual(numbers[0], numbers[1] + numbers[2] + numbers[3])
    }

    func testSimulateIsReproducible() throws {
        let dir = try makeTemporaryDirectory("sim")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for out in ["a", "b"] {
            let (status, output) = try run(["simulate", "--households", "500", "--seed", "11", "--out", "\(dir)/\(out)"])
            XCTAssertEqual(status, 0, output)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/a").sorted()
        XCTAssertEqual(files, try FileManager.default.contentsOfDirectory(atPath: "\(dir)/b").sorted())
        XCTAssertTrue(files.contains("ground-truth.json"))
        for f in files {
            let a = try XCTUnwrap(FileManager.default.contents(atPath: "\(dir)/a/\(f)"))
            let b = try XCTUnwrap(FileManager.default.contents(atPath: "\(dir)/b/\(f)"))
            XCTAssertEqual(SHA256.hash([UInt8](a)), SHA256.hash([UInt8](b)), f)
        }
    }
}
