import Foundation
import GongguCore
import XCTest

@testable import GongguNotify

final class RecipientDirectoryTests: XCTestCase {
    func testSampleDocumentParsesWithChainsUpToTheProvince() throws {
        let d = try RecipientDirectory(text: RecipientDirectory.sampleDocument)
        XCTAssertEqual(d.escalationAfterDays, 7)
        XCTAssertEqual(d.recipients.count, 14)
        XCTAssertEqual(d.recipient("220102-bureau")?.name, "长春市南关区乡村振兴局")
        XCTAssertEqual(d.escalationTarget(of: "220102-bureau")?.id, "2201-bureau")
        XCTAssertEqual(d.escalationTarget(of: "2201-bureau")?.id, "22-bureau")
        XCTAssertNil(d.escalationTarget(of: "22-bureau"))
        XCTAssertEqual(d.recipient("220182-bureau")?.webhookURL, "http://127.0.0.1:8089/gonggu/notify")
        XCTAssertEqual(d.recipient("220102-office")?.channels, [.outbox])
        XCTAssertEqual(d.admittedKeys.count, 14)
        for r in d.recipients { XCTAssertTrue(Z85.isKey(r.publicKey), r.id) }
    }

    func testDefaultsByKind() throws {
        let doc = """
            {"version":"v","recipients":[
             {"id":"b","name":"局","kind":"bureau","level":"county","region":"220102","publicKey":"\(key("b"))"},
             {"id":"o","name":"残联","kind":"office","level":"county","region":"220102","publicKey":"\(key("o"))"}]}
            """
        let d = try RecipientDirectory(text: doc)
        XCTAssertEqual(d.escalationAfterDays, 7)
        XCTAssertEqual(d.recipient("b")?.types, ["RiskFeedback", "RecommendationOverdue"])
        XCTAssertEqual(d.recipient("o")?.types, NotifyEventTypes.officeDefaults)
        XCTAssertEqual(d.recipient("o")?.channels, [.zmq])
        XCTAssertEqual(d.route(type: "RiskFeedback", region: "220102001001").map(\.id), ["b"])
        XCTAssertEqual(d.route(type: "EntitlementGap", region: "220102001001").map(\.id), ["o"])
        XCTAssertEqual(d.route(type: "MonitoringWithoutAssistance", region: "220102001001").map(\.id), ["o"])
    }

    /// Each broken document is refused with an error naming the problem.
    func testInvalidDocumentsAreRefusedWithClearErrors() {
        let good = #"{"id":"a","name":"局","kind":"bureau","level":"county","region":"220102","publicKey":"K"#
            + String(repeating: "0", count: 39) + "\""
        func doc(_ recipient: String, extra: String = "") -> String {
            "{\"version\":\"v\"\(extra),\"recipients\":[\(recipient)]}"
        }
        let cases: [(String, String, DirectoryError)] = [
            ("not JSON", "{", .malformed("JSON error at byte 1: unexpected end")),
            ("array", "[]", .malformed("the document must be a JSON object")),
            ("no version", #"{"recipients":[]}"#, .missing("version")),
            ("no recipients", #"{"version":"v"}"#, .missing("recipients")),
            ("bad afterDays", doc(good + "}", extra: #","escalation":{"afterDays":0}"#),
             .invalid("escalation.afterDays", "must be a whole number of days 1…365")),
            ("bad kind", doc(good.replacingOccurrences(of: "bureau", with: "agency") + "}"),
             .invalid("recipient a.kind", "must be bureau or office")),
            ("county with 4 digits", doc(good.replacingOccurrences(of: "220102", with: "2201") + "}"),
             .invalid("recipient a.region", "a county needs 6 digits")),
            ("short key", doc(good.replacingOccurrences(of: "K000", with: "K") + "}"),
             .invalid("recipient a.publicKey", "not a 40-character Z85 key")),
            ("key with space", doc(good.replacingOccurrences(of: "K000", with: "K 00") + "}"),
             .invalid("recipient a.publicKey", "not a 40-character Z85 key")),
            ("unknown type", doc(good + #","types":["RiskAssessed"]}"#),
             .invalid("recipient a.types", "unknown event type \"RiskAssessed\"")),
            ("webhook without url", doc(good + #","channels":[{"type":"webhook"}]}"#),
             .invalid("recipient a.channels.webhook.url", "needs an http(s) URL")),
            ("unknown escalation", doc(good + #","escalateTo":"nobody"}"#),
             .unknownRecipient("a.escalateTo", "nobody")),
            ("path in id", doc(good.replacingOccurrences(of: #""id":"a""#, with: #""id":"../a""#) + "}"),
             .invalid("recipients[0].id", "use letters, digits, '-', '_' or '.' (at most 64)")),
            ("duplicate id", doc(good + "}," + good.replacingOccurrences(of: "K000", with: "K001") + "}"),
             .duplicate("recipients[1].id", "a")),
            ("duplicate key", doc(good + "}," + good.replacingOccurrences(of: #""id":"a""#, with: #""id":"b""#) + "}"),
             .duplicate("recipients[1].publicKey", "same key as a")),
        ]
        for (name, text, expected) in cases {
            XCTAssertThrowsError(try RecipientDirectory(text: text), name) { error in
                XCTAssertEqual(error as? DirectoryError, expected, name)
                XCTAssertFalse((error as? DirectoryError)?.chinese.isEmpty ?? true, name)
            }
        }
    }

    func testEscalationMustGoUpAndStayInJurisdiction() {
        let cases: [([TestRecipient], String)] = [
            ([TestRecipient(id: "c1", region: "220102", escalateTo: "c2"),
              TestRecipient(id: "c2", region: "220182")], "c1.escalateTo"),
            ([TestRecipient(id: "c1", region: "220102", escalateTo: "city"),
              TestRecipient(id: "city", level: "city", region: "2224")], "c1.escalateTo"),
            ([TestRecipient(id: "p", level: "province", region: "22", escalateTo: "city"),
              TestRecipient(id: "city", level: "city", region: "2201")], "p.escalateTo"),
        ]
        for (recipients, field) in cases {
            XCTAssertThrowsError(try RecipientDirectory(text: directoryDocument(recipients))) { error in
                guard case let .invalid(f, _)? = error as? DirectoryError else { return XCTFail("\(error)") }
                XCTAssertEqual(f, field)
            }
        }
    }

    /// Routing by prefix and type: never another county's; cities get their counties; revoked nothing.
    func testRoutingNeverCrossesCounties() throws {
        var recipients = standardRecipients
        recipients.append(TestRecipient(id: "222401-office", kind: "office", region: "222401", revoked: true))
        let d = try RecipientDirectory(text: directoryDocument(recipients))
        let cases: [(String, String, [String])] = [
            ("RiskFeedback", "220102001001", ["2201-bureau", "220102-bureau", "22-bureau"]),
            ("RiskFeedback", "220182100200", ["2201-bureau", "220182-bureau", "22-bureau"]),
            ("RiskFeedback", "222401003004", ["2224-bureau", "222401-bureau", "22-bureau"]),
            ("EntitlementGap", "220102001001", ["2201-office", "220102-office"]),
            ("PaymentAnomaly", "220182100200", ["2201-office", "220182-office"]),
            // The only county office of 222401 is revoked: nobody at county level.
            ("EntitlementGap", "222401003004", []),
            ("RiskFeedback", "220103001001", ["2201-bureau", "22-bureau"]),
            ("RiskAssessed", "220102001001", []),
            ("RiskFeedback", "22", []),
        ]
        for (type, region, expected) in cases {
            XCTAssertEqual(Set(d.route(type: type, region: region).map(\.id)), Set(expected), "\(type) \(region)")
        }
    }

    func testZ85KeyCheck() {
        XCTAssertTrue(Z85.isKey("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"))  // RFC 32 test vector (public key)
        XCTAssertFalse(Z85.isKey("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf"))
        XCTAssertFalse(Z85.isKey("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf~"))
        XCTAssertFalse(Z85.isKey("#####" + String(repeating: "0", count: 35)))  // group exceeds 32 bits
    }

    private func key(_ id: String) -> String { TestRecipient(id: id, region: "220102").key }
}
