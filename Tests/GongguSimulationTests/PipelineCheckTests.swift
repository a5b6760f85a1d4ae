import Foundation
import GongguSimulation
import XCTest

final class PipelineCheckTests: XCTestCase {
    /// The seeded cases are found exactly, nothing else is found, and every record is accounted for.
    func testPipelineCheckIsExactAt2000Households() throws {
        let dir = try TempDirectory()
        let truth = try Simulator(households: 2000, seed: 42).write(to: dir.path)
        let comparison = try PipelineCheck.run(directory: dir.path)
        XCTAssertTrue(comparison.isExact, "\n" + comparison.table)
        for f in comparison.files {
            XCTAssertTrue(f.actual.isBalanced, f.file)
        }
        let rejected = comparison.categories.first { $0.name == "rejected" }!
        XCTAssertEqual(rejected.found.count, truth.rejected.count)
        XCTAssertEqual(comparison.files.first { $0.file == "subsidy.csv" }?.actual.duplicate, 1)
        XCTAssertGreaterThanOrEqual(truth.findings.count, 14)
        XCTAssertGreaterThanOrEqual(truth.monitoringRecommended.count, 18)
        print(comparison.table)
    }
}

final class ComparisonTests: XCTestCase {
    /// The checker can fail: a finding removed from the ground truth is unexpected, a fake one missing,
    /// and a wrong file count makes the file inexact.
    func testTamperedGroundTruthIsNotExact() throws {
        let dir = try TempDirectory()
        var truth = try Simulator(households: 400, seed: 9).write(to: dir.path)
        let removed = truth.findings.removeFirst()
        truth.findings.append(.init(type: "PaymentAnomaly", findingID: "anomaly|fake", householdID: "H", seedCase: "x"))
        truth.files[0].accepted += 1
        let path = dir.path + "/ground-truth.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(truth.json)))
        let comparison = try PipelineCheck.run(directory: dir.path)
        XCTAssertFalse(comparison.isExact)
        let byName = Dictionary(uniqueKeysWithValues: comparison.categories.map { ($0.name, $0) })
        XCTAssertEqual(byName[removed.type]?.unexpected, [removed.findingID])
        XCTAssertEqual(byName["PaymentAnomaly"]?.missing, ["anomaly|fake"])
        XCTAssertFalse(comparison.files[0].isExact)
        XCTAssertTrue(comparison.files.dropFirst().allSatisfy(\.isExact))
        XCTAssertTrue(comparison.table.contains("存在差异"))
        XCTAssertFalse(comparison.table.contains(removed.findingID), "resident IDs are masked in the table")
    }

    /// Ground truth survives its JSON form.
    func testGroundTruthRoundTrip() throws {
        let dir = try TempDirectory()
        let truth = try Simulator(households: 250, seed: 4).write(to: dir.path)
        XCTAssertEqual(try GroundTruth(json: try dir.bytes("ground-truth.json")), truth)
        XCTAssertEqual(truth.rejected.map(\.code).sorted(), [
            "amount.invalid", "amount.negative", "card.id_mismatch", "date.invalid", "date.invalid",
            "id.excel_lost_x", "id.excel_scientific", "month.invalid", "region.length",
        ])
    }
}
