import GongguRuntime
import XCTest

/// The one argument parser of the CLI, the services, `gonggu-bench` and `gonggu-fuzz`.
final class CommandArgumentsTests: XCTestCase {
    func testOptionsSwitchesPositionalsAndRepeatedOptions() throws {
        let a = try CommandArguments(
            ["run", "--target", "csv", "--corpus", "a", "--corpus=b", "--keep", "-n", "5", "file"], switches: ["keep"])
        XCTAssertEqual(a.positionals, ["run", "file"])
        XCTAssertEqual(a.option("target"), "csv")
        XCTAssertEqual(a.options("corpus"), ["a", "b"], "every value of a repeated option, in order")
        XCTAssertEqual(a.option("corpus"), "b", "the last one wins for a single-valued read")
        XCTAssertEqual(try a.int("n", default: 10), 5)
        XCTAssertTrue(a.flag("keep"))
        XCTAssertEqual(a.options("absent"), [])
    }

    func testMisuseIsAUsageError() throws {
        XCTAssertThrowsError(try CommandArguments(["--config"])) { XCTAssertTrue($0 is UsageError) }
        let a = try CommandArguments(["--events", "many", "--evnets", "5"])
        XCTAssertThrowsError(try a.int("events", default: 1)) { XCTAssertTrue("\($0)".contains("--events")) }
        XCTAssertThrowsError(try a.onlyOptions(["events"])) { XCTAssertTrue("\($0)".contains("--evnets"), "\($0)") }
    }

    func testHelpAnywhere() {
        XCTAssertTrue(CommandArguments.asksForHelp(["demo", "--households", "5", "-h"]))
        XCTAssertTrue(CommandArguments.asksForHelp(["--help"]))
        XCTAssertFalse(CommandArguments.asksForHelp(["log", "tail", "x.log", "-n", "5"]))
    }
}
