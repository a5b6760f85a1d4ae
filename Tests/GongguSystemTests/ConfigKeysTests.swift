import Foundation
import GongguCore
import GongguRooms
import GongguRuntime
import XCTest

/// Unknown configuration keys: a misspelled key is named instead of ignored, and
/// every configuration file the project ships uses known keys only.
final class ConfigKeysTests: XCTestCase {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func config(_ json: String) throws -> Config { Config(root: try JSONValue.parse(json), environment: [:]) }

    func testUnknownKeysAreNamedByTheirDottedPath() throws {
        let c = try config(
            #"{"log": {"levl": "debug", "level": "info"}, "endpoint": {"control": "x"}, "heartbeat": 5,"#
                + #""upstream": {"intake": {"log": "a", "replya": "b"}, "intkae": {"log": "c"}},"#
                + #""submission": {"clients": [{"name": "n"}]}}"#)
        XCTAssertEqual(
            c.unknownKeys(known: ConfigKeys.service, streams: Rooms.topology.names),
            ["log.levl", "endpoint", "heartbeat", "upstream.intake.replya", "upstream.intkae"])
        XCTAssertThrowsError(try c.refuseUnknownKeys(known: ConfigKeys.service, streams: Rooms.topology.names)) { error in
            XCTAssertEqual(error as? ConfigError, .unknownKey("log.levl"))
            XCTAssertTrue("\(error)".contains("log.levl"))
        }
    }

    func testTheCommandLineServicesFileKnowsOnlyControlEndpoints() throws {
        XCTAssertEqual(try config(#"{"intake": {"control": "a"}, "notify": {"control": "b"}}"#)
            .unknownKeys(known: ConfigKeys.commandLine, streams: Rooms.topology.names), [])
        XCTAssertEqual(try config(#"{"intake": {"contol": "a"}, "report": {"control": "b"}}"#)
            .unknownKeys(known: ConfigKeys.commandLine, streams: Rooms.topology.names), ["intake.contol", "report"])
    }

    func testShippedConfigurationFilesUseKnownKeysOnly() throws {
        let files = ["intake", "verify", "risk", "notify"].flatMap {
            ["Services/gonggu-\($0)/config.json", "docker/config/\($0).json"]
        }
        for file in files {
            let c = try Config.load(path: Self.repository.appendingPathComponent(file).path, environment: [:])
            XCTAssertEqual(c.unknownKeys(known: ConfigKeys.service, streams: Rooms.topology.names), [], file)
        }
    }
}
