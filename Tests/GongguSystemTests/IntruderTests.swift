import Foundation
import GongguClients
import GongguCore
import GongguEvents
import GongguRuntime
import GongguHarness
import GongguServices
import GongguSimulation
import GongguTransport
import XCTest

/// Intruders (docs/RELIABILITY.md, "Fuzzing and intruders") with real service processes — the intruder cases not
/// already covered elsewhere: a log file others may read (refused at start), revoked keys (submission client and
/// recipient, by configuration reload), findings of another county, a decision about another county's household,
/// replayed submission frames and decisions, oversized recipient frames, and no resident ID in any log line of a full
/// pipeline run.
///
/// Covered elsewhere and not repeated here: unknown CURVE keys (CurveTests.testUnknownKeyCannotConnect,
/// IntakeSubmissionTests, NotifyEndToEndTests.testUnknownKeyGetsNothing), a key outside its kinds or
/// region on the submission endpoint and oversized/malformed submissions (IntakeSubmissionTests),
/// oversized transport frames (CurveTests.testOversizedAndMalformedFramesCostAnErrorNotACrash), an
/// acknowledgement sent twice (NotifyFoldTests: counted once), tampered log rows
/// (TamperDetectionTests).
final class IntruderTests: PipelineTestCase {
    static let bureauTypes = ["RiskFeedback", "RecommendationOverdue"]
    static let findingTypes = ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved"]

    /// Bureaus and 残联 offices of the two counties in the intake fixtures (南关区 220102, 延吉市 222401).
    func recipients() -> [PipelineLauncher.Recipient] {
        [
            .init(
                id: "22-bureau", name: "吉林省乡村振兴局", kind: "bureau", level: "province", region: "22",
                types: ["RecommendationOverdue"]),
            county("220102", "长春市南关区", kind: "bureau", escalateTo: "22-bureau"),
            county("222401", "延吉市", kind: "bureau", escalateTo: "22-bureau"),
            county("220102", "长春市南关区", kind: "office"),
            county("222401", "延吉市", kind: "office"),
        ]
    }

    /// A county's bureau (risk feedback) or 残联 office (findings).
    func county(
        _ code: String, _ name: String, kind: String, escalateTo: String? = nil, channels: [String] = ["zmq"]
    ) -> PipelineLauncher.Recipient {
        .init(
            id: "\(code)-\(kind)", name: name + (kind == "bureau" ? "乡村振兴局" : "残疾人联合会"), kind: kind,
            level: "county", region: code, types: kind == "bureau" ? Self.bureauTypes : Self.findingTypes,
            escalateTo: escalateTo, channels: channels)
    }

    func recipient(_ id: String) throws -> RecipientClient {
        try RecipientClient(
            keyFile: launcher.keyFile(id), serverPublicKeyFile: launcher.publicKeyFile("notify"),
            endpoint: launcher.recipientEndpoint)
    }

    /// A CURVE client of the intake submission endpoint with the key of submission client `name`.
    func submitter(_ name: String, timeoutMs: Int32 = 2000) throws -> CommandClient {
        CommandClient(
            stream: "intake", endpoint: launcher.submissionEndpoint, timeoutMs: timeoutMs,
            curve: (
                try KeyFiles.readPair(launcher.keyFile(name)), try KeyFiles.readPublic(launcher.publicKeyFile("intake"))
            ))
    }

    /// A `SUBMIT` body with one home visit.
    func visit(_ household: String, _ region: String) -> [UInt8] {
        Array(
            ("{\"kind\":\"visit\",\"records\":[{\"householdID\":\"\(household)\",\"region\":\"\(region)\","
                + "\"date\":\"2025-06-01\",\"visitor\":\"王五\",\"hardship\":\"income\","
                + "\"selfApplication\":\"否\"}]}").utf8)
    }

    /// The four services with the fixtures imported and a year-end tick: nursing-subsidy gaps and risk
    /// feedback for HH001 (220102…) and HH004 (222401…).
    func startWithFindings(submissionClients: [(name: String, kinds: [String], region: String)] = []) throws {
        let l = try makeLauncher(recipients: recipients())
        l.submissionClients = submissionClients
        try l.prepare()
        try l.startAll()
        XCTAssertEqual(try importFile(fixture("survey_utf8.csv"), kind: "survey").0, 0)
        try importFile(fixture("subsidy.jsonl"), kind: "subsidy")
        try l.waitIdle(timeout: 60)
        tick("2025-12-31", services: ["verify", "risk"])
        try l.waitIdle(timeout: 60)
    }

    func events(_ service: String, type: String) throws -> [Event] {
        try GongguStoreTestAccess.events(path: launcher.logPath(service)).filter { $0.type == type }
    }

    // MARK: A log file others may read

    /// DataDirectory.checkPermissions: a service whose log is readable by others logs an error and
    /// does not start; once the mode is 0600 it starts.
    func testServiceRefusesToStartOnAWorldReadableLog() throws {
        let l = try makeLauncher(recipients: [])
        let log = l.logPath("intake")
        let created = FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o644])
        XCTAssertTrue(created)
        try l.start("intake")
        let process = try XCTUnwrap(l.processes["intake"])
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return XCTFail("the service runs on a log others may read") }
        XCTAssertNotEqual(process.terminationStatus, 0)
        let stderr = try String(contentsOfFile: "\(l.logsDirectory)/intake.log", encoding: .utf8)
        let refusal = stderr.split(separator: "\n").first { $0.contains("refusing to start") }
        XCTAssertNotNil(refusal, "a structured log line says why: \(stderr.suffix(600))")
        XCTAssertTrue(refusal?.contains("\"level\":\"error\"") ?? false)
        XCTAssertNil(l.call("intake", "PING", timeoutMs: 300), "nothing serves")
        _ = l.stop("intake")

        chmod(log, 0o600)
        try l.start("intake")
        try l.waitReady("intake")
    }

    // MARK: Revoked keys

    /// A submission client whose key file was revoked (moved away) and a recipient marked revoked in
    /// the directory lose access on reload, without a restart; the others keep theirs.
    func testRevokedKeysLoseAccessOnReload() throws {
        try startWithFindings(submissionClients: [
            ("field-app-220102", ["visit"], "220102"), ("field-app-222401", ["visit"], "222401"),
        ])
        XCTAssertEqual(try submitter("field-app-220102").call("SUBMIT", body: visit("V1", "220102001001")).status, "OK")

        // Revoke the 南关区 app (`gonggu keys revoke` moves the public key file away) and reload.
        let keyFile = launcher.publicKeyFile("field-app-220102")
        try FileManager.default.moveItem(atPath: keyFile, toPath: keyFile + ".revoked")
        XCTAssertEqual(launcher.call("intake", "RELOAD")?.status, "OK")
        try waitFor("the revoked app is refused") {
            (try? submitter("field-app-220102").call("SUBMIT", body: visit("V2", "220102001001"))) == nil
        }
        XCTAssertEqual(try submitter("field-app-222401").call("SUBMIT", body: visit("V3", "222401001001")).status, "OK")
        let visits = try events("intake", type: "HomeVisitReported").map(\.subject)
        XCTAssertEqual(visits.sorted(), ["V1", "V3"], "nothing of the revoked key was kept")

        // Revoke the 南关区 bureau in the recipient directory and reload: it receives nothing more.
        let path = "\(launcher.configDirectory)/recipients.json"
        let before = try String(contentsOfFile: path, encoding: .utf8)
        try reviseRevokedFlag(path: path, id: "220102-bureau")
        XCTAssertNotEqual(try String(contentsOfFile: path, encoding: .utf8), before)
        XCTAssertEqual(launcher.call("notify", "RELOAD")?.status, "OK")
        try launcher.waitIdle(timeout: 30)
        let bureau = try recipient("220102-bureau")
        XCTAssertEqual(try bureau.collect(quiet: 2).count, 0, "a revoked recipient receives nothing")
        bureau.close()
        let other = try recipient("222401-bureau")
        XCTAssertFalse(try other.collect().isEmpty, "the other county's bureau is still served")
        other.close()
    }

    /// Sets `revoked: true` on recipient `id` of the directory file.
    func reviseRevokedFlag(path: String, id: String) throws {
        let root = try JSONValue.parse(try String(contentsOfFile: path, encoding: .utf8))
        guard case let .object(fields) = root else { return XCTFail("directory is not an object") }
        let revised = fields.map { key, value -> (String, JSONValue) in
            guard key == "recipients", case let .array(items) = value else { return (key, value) }
            return (key, .array(items.map { item in
                guard item["id"]?.stringValue == id, case let .object(f) = item else { return item }
                return .object(f.map { $0.0 == "revoked" ? ($0.0, .bool(true)) : $0 })
            }))
        }
        try JSONValue.object(revised).jsonString.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: Another county's findings and households

    /// Each county's bureau and office receive only notifications of their own county — findings
    /// included — and a bureau's decision about another county's household is refused: nothing is
    /// forwarded to intake.
    func testRecipientsGetOnlyTheirRegionAndCannotDecideForAnother() throws {
        try startWithFindings()
        for county in ["220102", "222401"] {
            for kind in ["bureau", "office"] {
                let r = try recipient("\(county)-\(kind)")
                let got = try r.collect()
                r.close()
                XCTAssertFalse(got.isEmpty, "\(county)-\(kind) receives its own notifications")
                XCTAssertEqual(
                    got.compactMap { $0["region"]?.stringValue }.filter { !$0.hasPrefix(county) },
                    [], "\(county)-\(kind) receives nothing of another county")
                if kind == "office" {
                    let gaps = got.filter { $0["eventType"]?.stringValue == "EntitlementGap" }
                    XCTAssertFalse(gaps.isEmpty, "findings reach the office")
                }
            }
        }
        // 南关区's bureau decides about 延吉市's household HH004.
        let bureau = try recipient("220102-bureau")
        let foreign = "{\"type\":\"decision\",\"household\":\"HH004\",\"decision\":\"inclusionConfirmed\","
            + "\"date\":\"2026-01-05\"}"
        try bureau.socket.send(Array(foreign.utf8))
        try waitFor("the foreign decision is refused") { try !events("notify", type: "DecisionRefused").isEmpty }
        bureau.close()
        try launcher.waitIdle(timeout: 30)
        let refused = try events("notify", type: "DecisionRefused")
        XCTAssertEqual(refused.count, 1)
        XCTAssertTrue(refused.first.map(Self.payloadText)?.contains("outside_jurisdiction") ?? false)
        XCTAssertEqual(try events("notify", type: "DecisionForwarded").count, 0)
        XCTAssertEqual(try events("intake", type: "BureauDecisionRecorded").count, 0, "nothing reached intake")
    }

    // MARK: Replayed frames

    /// The very same SUBMIT frame sent again is answered as duplicates and adds nothing; the same
    /// bureau decision sent again is refused as a duplicate and forwarded once.
    func testReplayedSubmissionAndDecisionFramesHaveNoSecondEffect() throws {
        try startWithFindings(submissionClients: [("field-app-220102", ["visit"], "220102")])
        let app = try submitter("field-app-220102", timeoutMs: 5000)
        let frame = visit("HH001", "220102001001")
        let first = try JSONValue.parse(try app.call("SUBMIT", body: frame).body)
        XCTAssertEqual(first["accepted"]?.intValue, 1)
        let seqAfterFirst = try GongguStoreTestAccess.events(path: launcher.logPath("intake")).count
        let again = try JSONValue.parse(try app.call("SUBMIT", body: frame).body)
        XCTAssertEqual(again["accepted"]?.intValue, 0)
        XCTAssertEqual(again["duplicate"]?.intValue, 1)
        let seqAfterAgain = try GongguStoreTestAccess.events(path: launcher.logPath("intake")).count
        XCTAssertEqual(seqAfterAgain, seqAfterFirst, "nothing appended")
        app.close()

        let bureau = try recipient("220102-bureau")
        let feedback = try XCTUnwrap(try bureau.collect().first { $0["household"]?.stringValue == "HH001" })
        let reply = feedback["id"]?.stringValue ?? ""
        let decision = Array(
            ("{\"type\":\"decision\",\"inReplyTo\":\"\(reply)\",\"household\":\"HH001\","
                + "\"decision\":\"inclusionConfirmed\",\"date\":\"2026-01-05\"}").utf8)
        try bureau.socket.send(decision)
        try waitFor("the decision reaches intake", timeout: 60) {
            try !events("intake", type: "BureauDecisionRecorded").isEmpty
        }
        // The very same frame again, three times and right before a new message so that they are read in
        // one batch: its input id derives from its bytes, so it is not logged twice — and must not cost the
        // message read with it (a duplicate id once failed the whole batch's append).
        for _ in 0..<3 { try bureau.socket.send(decision) }
        // The same decision in other bytes (fields reordered, spaces): logged, then refused as a duplicate.
        let reworded = Array(
            ("{ \"decision\": \"inclusionConfirmed\", \"household\": \"HH001\", \"date\": \"2026-01-05\","
                + " \"inReplyTo\": \"\(reply)\", \"type\": \"decision\" }").utf8)
        try bureau.socket.send(reworded)
        try waitFor("the reworded decision is refused") { try !events("notify", type: "DecisionRefused").isEmpty }
        bureau.close()
        try launcher.waitIdle(timeout: 30)
        let submitted = try events("notify", type: "BureauDecisionSubmitted")
        XCTAssertEqual(submitted.count, 2, "the identical frame was dropped")
        XCTAssertEqual(try events("notify", type: "DecisionForwarded").count, 1, "forwarded once")
        let refused = try events("notify", type: "DecisionRefused")
        XCTAssertEqual(refused.count, 1)
        XCTAssertTrue(refused.first.map(Self.payloadText)?.contains("duplicate") ?? false)
        XCTAssertEqual(try events("intake", type: "BureauDecisionRecorded").count, 1, "one fact in intake")
    }

    // MARK: Oversized recipient frames

    /// Above the recipient message limit (16 KiB) a message costs an error reply; above the socket's
    /// limit (64 KiB) libzmq drops the connection. The notifier keeps serving either way.
    func testOversizedRecipientFramesCostAnErrorNotTheService() throws {
        try startWithFindings()
        let bureau = try recipient("220102-bureau")
        XCTAssertFalse(try bureau.collect().isEmpty)
        let big = "{\"type\":\"ack\",\"id\":\"" + String(repeating: "a", count: 20_000) + "\"}"
        try bureau.socket.send(Array(big.utf8))
        var reply: JSONValue?
        try waitFor("an error reply") {
            guard try bureau.socket.waitReadable(timeoutMs: 50),
                let m = try bureau.socket.receiveMessage(dontWait: true)
            else { return false }
            reply = try? JSONValue.parse(m.parts.last ?? [])
            return reply?["type"]?.stringValue == "error"
        }
        XCTAssertEqual(reply?["code"]?.stringValue, "too_large")
        try bureau.socket.send([UInt8](repeating: 0x7B, count: 200_000))
        bureau.close()
        XCTAssertEqual(launcher.call("notify", "PING")?.status, "OK", "the notifier still answers")
        let again = try recipient("220102-bureau")
        XCTAssertFalse(try again.collect().isEmpty, "and still serves the bureau")
        again.close()
    }

    // MARK: No resident ID in any log line

    /// A full pipeline run — a simulated province, every file imported (one under a file name that is
    /// a resident ID, as staff sometimes name files), ticks, deliveries to bureaus and offices — then
    /// every service's stderr log and every text file under the data and log folders is scanned for
    /// an 18-character resident ID with a valid check character. Not scanned, because they hold IDs by
    /// design and are not logs: the SQLite event logs (the records themselves) and the outbox files
    /// (deliveries to the county office entitled to them: a finding names its person, `findingID`
    /// is `gap|<personID>|…` per the decision-event conventions).
    func testNoResidentIDInAnyLogOfAFullPipelineRun() throws {
        var recipients = recipients()
        for c in PipelineCheck.counties where !["220102", "222401"].contains(c.code) {
            recipients.append(county(c.code, c.name, kind: "bureau"))
            recipients.append(county(c.code, c.name, kind: "office", channels: ["outbox"]))
        }
        let l = try makeLauncher(recipients: recipients)
        let province = root + "/province"
        let (status, output) = try runCLI(["simulate", "--households", "300", "--seed", "5", "--out", province])
        XCTAssertEqual(status, 0, output)
        try l.startAll()
        for file in Simulator.files {
            XCTAssertEqual(try importFile("\(province)/\(file.name)", kind: file.kind.rawValue).0, 0, file.name)
        }
        let idNamed = "\(province)/\(Self.syntheticID).csv"
        try FileManager.default.copyItem(atPath: "\(province)/life.csv", toPath: idNamed)
        XCTAssertEqual(try importFile(idNamed, kind: "life").0, 0)
        try l.waitIdle(timeout: 120)
        tick("2025-12-31")
        try l.waitIdle(timeout: 60)
        let bureau = try recipient("220102-bureau")
        try bureau.ack(try bureau.collect())
        bureau.close()
        tick("2026-01-15", services: ["notify"])
        try l.waitIdle(timeout: 60)
        l.stopAll()

        var scanned = 0
        var lines = 0
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        let skipped = ["province/", "keys/", "data/outbox/"]
        // Snapshots of fold state hold what the logs hold (personal data at rest): like the logs,
        // readable by the service's user only.
        for relative in files where relative.contains(".snapshot-") {
            let mode = try FileManager.default.attributesOfItem(atPath: "\(root)/\(relative)")[.posixPermissions] as? Int
            XCTAssertEqual(mode.map { $0 & 0o077 }, 0, "\(relative) is readable by others")
        }
        for relative in files
        where !Self.isEventLog(relative) && !relative.contains(".snapshot-") && !skipped.contains(where: relative.hasPrefix) {
            let path = "\(root)/\(relative)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            scanned += 1
            let text = String(decoding: data, as: UTF8.self)
            for (n, line) in text.split(separator: "\n").enumerated() {
                lines += 1
                let found = ResidentIDScan.find(in: line)
                let masked = found.map(PersonalDataMask.maskID)
                XCTAssertEqual(found.count, 0, "\(relative):\(n + 1) holds a resident ID (\(masked))")
            }
        }
        XCTAssertGreaterThanOrEqual(scanned, 4, "the four services' logs were scanned")
        XCTAssertGreaterThan(lines, 20)
        let intakeLog = try String(contentsOfFile: "\(l.logsDirectory)/intake.log", encoding: .utf8)
        XCTAssertTrue(intakeLog.contains("import started"), "the ID-named import was logged (masked)")
    }

    /// A synthetic resident ID with a valid check character (not a real person).
    static let syntheticID = "110101199003074477"

    static func payloadText(_ event: Event) -> String { String(decoding: event.payload, as: UTF8.self) }

    static func isEventLog(_ path: String) -> Bool {
        [".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal"].contains { path.hasSuffix($0) }
    }
}

/// Finds resident IDs (GB 11643: 17 digits and a check digit or X, with a valid check character) in
/// text, alone or as the first 18 characters of a 20-character disability card number. Like
/// `PersonalDataMask`, a digit run inside a word (a hex digest) is not taken for an ID, nor are the
/// decimals of a number (`"replay.seconds":0.000687…`).
enum ResidentIDScan {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checks: [UInt8] = Array("10X98765432".utf8)

    static func find<S: StringProtocol>(in text: S) -> [String] {
        let bytes = Array(text.utf8)
        var found: [String] = []
        var i = 0
        while i < bytes.count {
            guard isDigit(bytes[i]) else {
                i += 1
                continue
            }
            var j = i
            while j < bytes.count, isDigit(bytes[j]) { j += 1 }
            var end = j
            var candidate: [UInt8] = []
            if j - i == 18 || j - i == 20 {
                candidate = Array(bytes[i..<i + 18])
            } else if j - i == 17, j < bytes.count, bytes[j] | 0x20 == UInt8(ascii: "x") {
                candidate = Array(bytes[i...j])
                end = j + 1
                // A card number whose ID ends in X: two more digits.
                var k = end
                while k < bytes.count, isDigit(bytes[k]) { k += 1 }
                if k - end == 2 { end = k } else if k != end { candidate = [] }
            }
            let isFraction = i >= 2 && bytes[i - 1] == UInt8(ascii: ".") && isDigit(bytes[i - 2])
            let standsAlone = (i == 0 || !isLetter(bytes[i - 1])) && (end == bytes.count || !isLetter(bytes[end]))
                && !isFraction
            if !candidate.isEmpty, standsAlone, isValid(candidate) {
                found.append(String(decoding: candidate, as: UTF8.self))
            }
            i = max(end, i + 1)
        }
        return found
    }

    static func isValid(_ id: [UInt8]) -> Bool {
        var sum = 0
        for k in 0..<17 { sum += Int(id[k] - 48) * weights[k] }
        let check = id[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : id[17]
        return checks[sum % 11] == check
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isLetter(_ b: UInt8) -> Bool { b | 0x20 >= 97 && b | 0x20 <= 122 }
}

/// The scanner itself: it finds what it must and nothing else (a scanner that finds nothing would
/// make the pipeline scan pass vacuously).
final class ResidentIDScanTests: XCTestCase {
    func testFindsValidIDsOnly() {
        let cases: [(String, [String])] = [
            ("{\"msg\":\"id 110101199003074477 here\"}", ["110101199003074477"]),
            ("220102198001010012,22010219700707109X", ["220102198001010012", "22010219700707109X"]),
            ("110101199003074478", []),  // wrong check character
            ("1101011990030744770", []),  // 19 digits: not an ID
            ("1101011990****4477", []),  // masked
            ("seq 12345678901234567 and 1234", []),
            ("card 22010219800101001241.", ["220102198001010012"]),  // a card number holds the ID
            ("22010219700707109X61", ["22010219700707109X"]),
            ("sha 0a110101199003074477b", []),  // inside a hex word
            ("22010219800101001", []),  // 17 digits
            ("\"replay.seconds\":0.000687123456788457}", []),  // decimals of a number
            ("/tmp/110101199003074477.csv", ["110101199003074477"]),
        ]
        for (text, expected) in cases { XCTAssertEqual(ResidentIDScan.find(in: text), expected, text) }
        let stimulus = IntruderTests.syntheticID
        XCTAssertEqual(ResidentIDScan.find(in: stimulus), [stimulus], "the stimulus is an ID")
    }
}
