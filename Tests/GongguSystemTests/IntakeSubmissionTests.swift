import Foundation
import GongguCore
import GongguEvents
import GongguRuntime
import GongguServices
import GongguTransport
import XCTest

/// The network submission endpoint (docs/PROTOCOL.md §2.4) (CURVE + ZAP) — per-record outcomes for an
/// allowed client; a clear error reply for a kind or region the key is not allowed, an oversized and a
/// malformed frame; no admission at all for an unknown key; the service keeps running throughout.
final class IntakeSubmissionTests: PipelineTestCase {
    func visit(household: String, region: String, date: String = "2025-06-01") -> String {
        """
        {"householdID":"\(household)","region":"\(region)","date":"\(date)","visitor":"王五","hardship":"income","selfApplication":"否"}
        """
    }

    func client(_ name: String, keysDirectory: String? = nil) throws -> CommandClient {
        let dir = keysDirectory ?? launcher.keysDirectory
        return CommandClient(
            stream: "intake", endpoint: launcher.submissionEndpoint, timeoutMs: 3000,
            curve: (try KeyFiles.readPair("\(dir)/\(name).key"), try KeyFiles.readPublic(launcher.publicKeyFile("intake"))))
    }

    func submit(_ c: CommandClient, kind: String, records: [String]) throws -> (String, JSONValue) {
        let body = "{\"kind\":\"\(kind)\",\"records\":[\(records.joined(separator: ","))]}"
        let reply = try c.call("SUBMIT", body: Array(body.utf8))
        return (reply.status, try JSONValue.parse(reply.body))
    }

    func testSubmissionsAreAuthorisedByKindAndRegion() throws {
        let l = try makeLauncher(recipients: [])
        l.submissionClients = [("field-app-220182", ["visit"], "220182")]
        try l.prepare()
        try l.start("intake")
        try l.waitReady("intake")
        let app = try client("field-app-220182")

        // Allowed: per-record outcomes, then the same again is a duplicate.
        var (status, reply) = try submit(app, kind: "visit", records: [
            visit(household: "H1", region: "220182101201"),
            visit(household: "H2", region: "220182101201", date: "2025-13-01"),
        ])
        XCTAssertEqual(status, "OK")
        XCTAssertEqual(reply["accepted"]?.intValue, 1)
        XCTAssertEqual(reply["rejected"]?.intValue, 1)
        let bad = reply["results"]?.arrayValue?[1]
        XCTAssertEqual(bad?["outcome"]?.stringValue, "rejected")
        XCTAssertTrue(bad?["reason"]?.stringValue?.contains("「date」") ?? false, "Chinese reason names the field: \(String(describing: bad))")
        (status, reply) = try submit(app, kind: "visit", records: [visit(household: "H1", region: "220182101201")])
        XCTAssertEqual(reply["duplicate"]?.intValue, 1)

        // A kind the key may not submit.
        (status, reply) = try submit(app, kind: "assistance", records: ["{}"])
        XCTAssertEqual(status, "ERROR")
        XCTAssertEqual(reply["code"]?.stringValue, "kind_not_allowed")
        XCTAssertTrue(reply["message"]?.stringValue?.contains("无权") ?? false)

        // Another county's record: the whole submission is refused, nothing kept.
        (status, reply) = try submit(app, kind: "visit", records: [
            visit(household: "H3", region: "220182101201"), visit(household: "H4", region: "222401101201"),
        ])
        XCTAssertEqual(status, "ERROR")
        XCTAssertEqual(reply["code"]?.stringValue, "region_not_allowed")

        // Oversized (over the 1 MiB application limit, under the socket's hard cap) and malformed.
        let huge = visit(household: String(repeating: "H", count: 1_200_000), region: "220182101201")
        (status, reply) = try submit(app, kind: "visit", records: [huge])
        XCTAssertEqual(reply["code"]?.stringValue, "too_large")
        let malformed = try app.call("SUBMIT", body: Array("{not json".utf8))
        XCTAssertEqual(malformed.status, "ERROR")
        XCTAssertEqual(try JSONValue.parse(malformed.body)["code"]?.stringValue, "malformed")
        let raw = try ZMQSocket(.dealer)
        try raw.makeCurveClient(try KeyFiles.readPair(l.keyFile("field-app-220182")), serverKey: try KeyFiles.readPublic(l.publicKeyFile("intake")))
        try raw.setReceiveTimeout(3000)
        try raw.connect(l.submissionEndpoint)
        try raw.send(Array("SUBMIT".utf8))
        XCTAssertEqual(try raw.receiveMessage().map { String(decoding: $0.parts[0], as: UTF8.self) }, "ERROR")
        raw.close()

        // An unknown key is not admitted at all: no reply ever comes.
        let strangers = root + "/strangers"
        try KeyFiles.write(try CurveKeyPair.generate(), name: "stranger", directory: strangers)
        let stranger = try client("stranger", keysDirectory: strangers)
        XCTAssertThrowsError(try submit(stranger, kind: "visit", records: [visit(household: "H5", region: "220182101201")]))

        // And the service is still running and serving.
        XCTAssertEqual(l.call("intake", "PING")?.status, "OK")
        (status, reply) = try submit(try client("field-app-220182"), kind: "visit", records: [visit(household: "H6", region: "220182101201")])
        XCTAssertEqual(reply["accepted"]?.intValue, 1)
        let facts = try GongguStoreTestAccess.events(path: l.logPath("intake")).filter { $0.type == "HomeVisitReported" }
        XCTAssertEqual(facts.map(\.subject).sorted(), ["H1", "H6"], "nothing of the refused submissions was kept")
    }
}
