import Foundation
import GongguCore
import GongguHarness
import GongguRisk
import XCTest

/// `gonggu rules diff` end to end: the built executable against the logs of the shared province (a
/// pipeline of service processes started by `PipelineLauncher`, still running: the command reads
/// their logs read-only and never asks them).
final class RulesDiffCLITests: ProvinceTestCase {
    private func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "rules-diff-\(UUID().uuidString.prefix(8)).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testDiffPrintsTheChineseSummaryAndWritesCaseLists() throws {
        let p = try province()
        let file = try write(
            RiskRules.defaultDocument
                .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"cli-line\"")
                .replacingOccurrences(
                    of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"2025-01-01\"")
                .replacingOccurrences(of: "\"2025\": 760000", with: "\"2025\": 800000"))
        let out = NSTemporaryDirectory() + "rules-diff-out-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, output) = try ProvinceFixture.gonggu([
            "rules", "diff", file, "--service", "risk", "--logs", p.launcher.dataDirectory, "--out", out,
        ])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("规则变更影响分析"), output)
        XCTAssertTrue(output.contains("拟启用版本：cli-line（自 2025-01-01 起施行）"), output)
        XCTAssertTrue(output.contains("defaults.monitoringLineFen.2025：760000 → 800000"), output)
        XCTAssertTrue(output.contains("新增 "), output)
        XCTAssertTrue(output.contains("按县（区）："), output)
        let csv = try Data(contentsOf: URL(fileURLWithPath: out + "/规则差异-明细.csv"))
        XCTAssertEqual(Array(csv.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 with BOM")
        let text = String(decoding: csv.dropFirst(3), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("变化类型,决定类型,区划代码"), text)
        XCTAssertGreaterThan(text.components(separatedBy: "\r\n").filter { $0.hasPrefix("新增,纳入监测建议") }.count, 0)
        // No unmasked resident ID (18 characters, 17 digits first) in any file.
        let id = try NSRegularExpression(pattern: "(?<![0-9a-fA-F])[0-9]{17}[0-9X](?![0-9a-fA-F])")
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            let s = try String(contentsOfFile: "\(out)/\(name)", encoding: .utf8)
            XCTAssertNil(id.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), name)
        }
    }

    func testBrokenFileIsRefusedWithExit65NamingTheKey() throws {
        let p = try province()
        let file = try write(
            RiskRules.defaultDocument.replacingOccurrences(of: "\"overdueDays\": 30", with: "\"overdueDays\": 0"))
        let (status, output) = try ProvinceFixture.gonggu([
            "rules", "diff", file, "--service", "risk", "--logs", p.launcher.dataDirectory,
        ])
        XCTAssertEqual(status, 65, output)
        XCTAssertTrue(output.contains("defaults.followUp.overdueDays"), output)
        XCTAssertFalse(output.contains("规则变更影响分析"), output)
    }
}
