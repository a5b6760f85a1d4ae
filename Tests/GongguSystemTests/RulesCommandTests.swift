import Foundation
import GongguCore
import GongguServices
import XCTest

/// The shipped rule documents, the complete check behind `gonggu rules check` and
/// `RULES`, and the command run as the built executable.
final class RulesCommandTests: XCTestCase {
    /// `Services/rules/<set>.json` in this checkout.
    static func shippedFile(_ ruleSet: RuleSetName) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Services/rules/\(ruleSet.rawValue).json").path
    }

    /// Keys whose children are data (years, indicator names, type codes, region prefixes), not keys
    /// every document must repeat.
    static let openMaps: Set<String> = [
        "regions", "defaults.monitoringLineFen", "defaults.hardshipTypes", "defaults.riskTypeNames",
    ]
    /// Keys a document may leave out (docs/RULES-*.md mark them optional).
    static let optionalKeys: Set<String> = ["regions", "defaults.hardshipTypes"]

    /// Every key path of the document, parents before children, skipping the children of open maps.
    static func keyPaths(_ value: JSONValue, _ prefix: String = "") -> [String] {
        guard !openMaps.contains(prefix), let fields = value.objectValue else { return [] }
        return fields.flatMap { key, child -> [String] in
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            return [path] + keyPaths(child, path)
        }
    }

    /// `value` without the key at `path`.
    static func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let fields = value.objectValue, let first = path.first else { return value }
        if path.count == 1 { return .object(fields.filter { $0.0 != first }) }
        return .object(fields.map { $0.0 == first ? ($0.0, removing(Array(path.dropFirst()), from: $0.1)) : $0 })
    }

    func testShippedFilesAreTheEmbeddedDefaults() throws {
        for ruleSet in RuleSetName.allCases {
            let file = try String(contentsOfFile: Self.shippedFile(ruleSet), encoding: .utf8)
            // The same bytes (the file ends with a newline), hence the same parsed document.
            XCTAssertEqual(file, ruleSet.defaultDocument + "\n", "Services/rules/\(ruleSet.rawValue).json has drifted")
            XCTAssertEqual(try JSONValue.parse(file), try JSONValue.parse(ruleSet.defaultDocument))
            XCTAssertNoThrow(try ruleSet.check(file))
        }
    }

    /// Each required key, nested ones included, removed one at a time from each default document: the
    /// document is refused with `RuleError.missing` naming that key by its dotted path.
    func testEveryRequiredKeyRemovedIsRefusedNamingIt() throws {
        for ruleSet in RuleSetName.allCases {
            let document = try JSONValue.parse(ruleSet.defaultDocument)
            let required = Self.keyPaths(document).filter { !Self.optionalKeys.contains($0) }
            XCTAssertGreaterThan(required.count, 20, ruleSet.rawValue)
            for path in required {
                let text = Self.removing(path.components(separatedBy: "."), from: document).jsonString
                XCTAssertThrowsError(try ruleSet.check(text), "\(ruleSet.rawValue) without \(path)") { error in
                    XCTAssertEqual(error as? RuleError, .missing(path), "\(ruleSet.rawValue) without \(path)")
                    XCTAssertTrue((error as? RuleError)?.chinese.contains(path) ?? false)
                }
            }
            for path in Self.optionalKeys {
                let text = Self.removing(path.components(separatedBy: "."), from: document).jsonString
                XCTAssertNoThrow(try ruleSet.check(text), "\(ruleSet.rawValue) without optional \(path)")
            }
        }
    }

    func testCheckOnShippedFilesExitsZero() throws {
        for ruleSet in RuleSetName.allCases {
            let (status, output) = try ServiceProcess.gonggu(
                ["rules", "check", Self.shippedFile(ruleSet), "--service", ruleSet.rawValue])
            XCTAssertEqual(status, 0, output)
            XCTAssertTrue(output.contains("检查通过"), output)
            XCTAssertTrue(output.contains("版本：2025.1") && output.contains("2021-01-01"), output)
        }
    }

    func testCheckOnFileMissingKeyExits65NamingIt() throws {
        let dir = try makeTemporaryDirectory("rules")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows: [(RuleSetName, String)] = [
            (.risk, "defaults.income.marginalPercent"), (.verify, "defaults.pension.dueMonth"),
        ]
        for (ruleSet, path) in rows {
            let document = try JSONValue.parse(ruleSet.defaultDocument)
            let file = "\(dir)/\(ruleSet.rawValue).json"
            try Self.removing(path.components(separatedBy: "."), from: document).jsonString
                .write(toFile: file, atomically: true, encoding: .utf8)
            let (status, output) = try ServiceProcess.gonggu(["rules", "check", file, "--service", ruleSet.rawValue])
            XCTAssertEqual(status, 65, output)
            XCTAssertTrue(output.contains("规则文件缺少“\(path)”"), output)
        }
        // Bad usage, a missing file, a document of the other rule set.
        let risk = Self.shippedFile(.risk)
        XCTAssertEqual(try ServiceProcess.gonggu(["rules", "check", risk, "--service", "notify"]).0, 64)
        XCTAssertEqual(try ServiceProcess.gonggu(["rules", "check", "--service", "risk"]).0, 64)
        XCTAssertEqual(try ServiceProcess.gonggu(["rules", "check", "\(dir)/absent.json", "--service", "risk"]).0, 66)
        XCTAssertEqual(try ServiceProcess.gonggu(["rules", "check", risk, "--service", "verify"]).0, 65)
        let help = try ServiceProcess.gonggu(["rules", "check", "--help"])
        XCTAssertEqual(help.0, 0)
        XCTAssertTrue(help.1.contains("gonggu rules check FILE"), help.1)
    }
}
