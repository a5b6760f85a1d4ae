import GongguCore
import GongguRuntime
import XCTest

/// A follower's snapshot state is split into its positions and the behaviour's state without walking
/// the state (it is parsed once, by the behaviour): whatever is damaged in it is still refused.
final class FollowerSplitTests: XCTestCase {
    private let state = #"{"fold":{"a":[1,"x",{"b":null}]},"rules":[]}"#

    func testTheStateIsWhatFollowsThePositions() throws {
        for line in [
            #"{"follower":{"merge":{"intake":[3,4]}},"state":\#(state)}"#,
            "{ \"follower\" : {\"merge\":{}} , \"state\" :\n \(state) \n}\n",
        ] {
            let (positions, inner) = try Snapshots.splitFollower(Array(line.utf8))
            XCTAssertEqual(String(decoding: inner, as: UTF8.self), state, line)
            XCTAssertNotNil(positions["merge"])
        }
    }

    func testADamagedLineIsRefused() {
        for line in [
            #"{"state":\#(state)}"#,  // no positions
            #"{"follower":{"merge":{}}}"#,  // no state
            #"{"follower":{"merge":{},"state":\#(state)}"#,  // positions not closed
            #"{"follower":{"merge":{}} "state":\#(state)}"#,  // no comma
        ] {
            XCTAssertThrowsError(try Snapshots.splitFollower(Array(line.utf8)), line)
        }
    }

    func testWhateverFollowsTheStateOrIsCutFromItFailsTheStatesOwnParse() throws {
        var lines = [#","extra":1}"#, "]}", "x}", #"}{}"#].map { #"{"follower":{"merge":{}},"state":\#(state)"# + $0 }
        lines.append(#"{"follower":{"merge":{}},"state":\#(state)"#)  // the closing brace cut off
        for line in lines {
            let inner: [UInt8]
            do {
                inner = try Snapshots.splitFollower(Array(line.utf8)).state
            } catch {
                continue  // refused at the split: as good
            }
            XCTAssertThrowsError(try JSONReader.read(inner) { try $0.skipValue() }, line)
        }
    }
}
