import GongguEvents
import XCTest

final class ServiceTests: XCTestCase {
    func testRawValuesAreTheWireNames() {
        XCTAssertEqual(Service.allCases.map(\.rawValue), ["intake", "verify", "risk", "notify"])
    }

    func testParsingNamesTheValidServices() throws {
        XCTAssertEqual(try Service(parsing: "notify"), .notify)
        XCTAssertEqual(try Service(parsing: "risk", among: [.risk, .verify]), .risk)
        XCTAssertThrowsError(try Service(parsing: "notify", among: [.risk, .verify])) {
            XCTAssertEqual($0 as? UnknownServiceName, UnknownServiceName(name: "notify", allowed: [.risk, .verify]))
            XCTAssertEqual("\($0)", "未知的服务“notify”，可选：risk、verify / unknown service 'notify' (one of risk, verify)")
        }
        XCTAssertThrowsError(try Service(parsing: "Intake"))
    }
}
