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
