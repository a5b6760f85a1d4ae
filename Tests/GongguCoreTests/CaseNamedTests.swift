import GongguCore
import XCTest

/// `CaseNamed`: a case is found by its computed name, an unknown name gives nil.
final class CaseNamedTests: XCTestCase {
    enum Colour: CaseNamed {
        case red, green
        var rawValue: String {
            switch self {
            case .red: return "Red"
            case .green: return "Green"
            }
        }
    }

    func testFindsTheCaseByName() {
        XCTAssertEqual(Colour(rawValue: "Red"), .red)
        XCTAssertEqual(Colour(rawValue: "Green"), .green)
        XCTAssertNil(Colour(rawValue: "red"))
        XCTAssertNil(Colour(rawValue: ""))
    }
}
