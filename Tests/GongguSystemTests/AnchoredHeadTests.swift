import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguRuntime
import GongguServices
import GongguSimulation
import GongguStore
import XCTest

/// Anchored heads: each consumer's `InputConsumed` marker records the upstream's chain
/// hash at the consumed seq, so a log whose tail was lost (or which was replaced wholesale) is found by
/// `gonggu log verify --all DIR` and `gonggu status --data DIR` from the anchors its consumers hold.
final class InputConsumedAnchorTests: XCTestCase {
    /// A marker written before the hash was recorded (schema version 1) still decodes, without a hash.
    func testAnOldMarkerWithoutTheHashDecodes() throws {
        let old = Event(
            id: EventID(high: 1, low: 1), type: InputConsumed.eventType, version: 1, subject: "intake", region: "",
            occurredAt: 0, payload: Array(#"{"stream":"intake","after":10,"through":25}"#.utf8))
        let marker = try old.decode(InputConsumed.self)
        XCTAssertEqual(marker.stream, "intake")
        XCTAssertEqual(marker.after, 10)
        XCTAssertEqual(marker.through, 25)
        XCTAssertNil(marker.throughHash)
    }

    func testTheHashRoundTrips() throws {
        let hash = SHA256.hash(Array("x".utf8))
        let e = Event(
            InputConsumed(stream: "verify", after: 3, through: 9, throughHash: hash), id: EventID(high: 1, low: 2),
            subject: "verify", region: "", occurredAt: 0)
        XCTAssertEqual(e.version, InputConsumed.schemaVersion)
        XCTAssertEqual(try e.decode(InputConsumed.self).throughHash, hash)
    }
}

/// The tester's case end to end: intake takes an import, verify consumes it, intake loses its tail
/// (rows deleted with the triggers dropped, as a lost `-wal` leaves it) and restarts — its own chain
/// verifies, but the anchors verify holds name the whole missing range.
final class AnchoredHeadTests: PipelineTestCase {
    func cursor(_ l: PipelineLauncher, _ service: String) -> Int? {
        l.call(service, "STATUS", timeoutMs: 1000)?.body?["upstreams"]?.arrayValue?.first?["cursor"]?.intValue
    }

    /// Imports a simulated province of 200 households into intake; returns intake's head.
    private func importProvince(_ l: PipelineLauncher) throws -> Int {
        let province = root + "/province"
        try Simulator(households: 200, seed: 7).write(to: province)
        let manifest = try JSONValue.parse([UInt8](FileManager.default.contents(atPath: province + "/manifest.json")!))
        for entry in manifest["files"]?.arrayValue ?? [] {
            let (imported, out) = try importFile(
                "\(province)/\(entry["file"]!.stringValue!)", kind: entry["kind"]!.stringValue!)
            XCTAssertEqual(imported, 0, out)
        }
        let head = try XCTUnwrap(l.call("intake", "STATUS")?.body?["lastSeq"]?.intValue)
        XCTAssertGreaterThan(head, 300)
        return head
    }

    /// Checks that every marker in verify's log carries intake's chain hash at its `through`, computed
    /// here event by event; returns those hashes by seq.
    @discardableResult
    private func checkMarkers(_ l: PipelineLauncher) throws -> [Int64: [UInt8]] {
        let intake = try EventLog(path: l.logPath("intake"), stream: nil, readOnly: true)
        var upstreamHashes: [Int64: [UInt8]] = [:]
        var previous = CanonicalEncoding.genesis
        var scratch: [UInt8] = []
        for e in try intake.read(after: 0, limit: 100_000) {
            previous = CanonicalEncoding.chainHash(previous: previous, event: e, scratch: &scratch)
            upstreamHashes[e.seq] = previous
        }
        XCTAssertEqual(previous, try intake.headHash)
        let markers = try GongguStoreTestAccess.events(path: l.logPath("verify"))
            .filter { $0.type == InputConsumed.eventType }.map { try $0.decode(InputConsumed.self) }
        XCTAssertFalse(markers.isEmpty)
        for m in markers { XCTAssertEqual(m.throughHash, upstreamHashes[m.through], "marker through \(m.through)") }
        return upstreamHashes
    }

    /// A consumer started after the import reads the whole log from the file, checked against the chain
    /// as it reads, and takes its anchors from that walk instead of hashing every event again: they are
    /// still the upstream's own hashes.
    func testMarkersOfACatchUpFromTheFileCarryTheUpstreamHashes() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.waitReady("intake")
        let head = try importProvince(l)
        try l.start("verify")
        try l.waitReady("verify")
        try waitFor("verify to consume the whole intake log") { cursor(l, "verify") == head }
        XCTAssertEqual(l.stop("verify"), 0)
        XCTAssertEqual(l.stop("intake"), 0)
        try checkMarkers(l)
    }

    func testALostIntakeTailIsReportedWithTheWholeMissingRange() throws {
        let l = try makeLauncher(recipients: [])
        try l.start("intake")
        try l.start("verify")
        try l.waitReady("intake")
        try l.waitReady("verify")
        let services = try l.writeServicesFile()
        let head = try importProvince(l)
        try waitFor("verify to consume the whole intake log") { cursor(l, "verify") == head }
        XCTAssertEqual(l.stop("verify"), 0)
        XCTAssertEqual(l.stop("intake"), 0)

        // Every marker carries the upstream's own hash at its `through`.
        let upstreamHashes = try checkMarkers(l)

        // The tail is lost: the last third of intake's events, gone with the triggers dropped.
        let kept = head - head / 3
        let lost = head - kept
        do {
            let db = try SQLiteDatabase(path: l.logPath("intake"))
            try db.execute("DROP TRIGGER IF EXISTS events_no_delete")
            try db.execute("DELETE FROM events WHERE seq > \(kept)")
        }
        try l.start("intake")
        try l.waitReady("intake")
        let intakeStatus = l.call("intake", "STATUS")?.body
        XCTAssertEqual(intakeStatus?["lastSeq"]?.intValue, kept)
        // The restarted intake sees the anchor in its data directory: it warns and reports it in STATUS.
        let warning = try XCTUnwrap(intakeStatus?["anchoredBeyondHead"]?.arrayValue?.first?.stringValue)
        XCTAssertTrue(warning.contains("missing seqs \(kept + 1)…\(head)"), warning)
        let intakeOutput = try String(contentsOfFile: "\(l.logsDirectory)/intake.log", encoding: .utf8)
        XCTAssertTrue(intakeOutput.contains("log head not what its consumers anchored"), intakeOutput)

        let (code, report) = try runCLI(["log", "verify", "--all", l.dataDirectory])
        print("gonggu log verify --all (exit \(code)):\n\(report)")
        XCTAssertEqual(code, LogVerifyAllExit.lostTail)
        let anchor = try XCTUnwrap(upstreamHashes[Int64(head)]).hexString
        XCTAssertTrue(report.contains("intake.log.sqlite: 完好 ok: \(kept) events"), report)
        XCTAssertTrue(report.contains("丢失尾部 lost tail"), report)
        XCTAssertTrue(report.contains("missing seqs \(kept + 1)…\(head), \(lost) events"), report)
        XCTAssertTrue(report.contains("last known hash \(anchor)"), report)
        XCTAssertTrue(report.contains("held by verify log"), report)

        let (statusCode, table) = try runCLI(
            ["status", "--config", services, "--service", "intake", "--data", l.dataDirectory])
        print("gonggu status --data (exit \(statusCode)):\n\(table)")
        XCTAssertEqual(statusCode, 1)
        XCTAssertTrue(table.contains("intake: head \(kept) behind seq \(head) anchored by verify"), table)
        XCTAssertTrue(table.contains("missing seqs \(kept + 1)…\(head)"), table)
    }
}

/// An upstream log replaced by another of the same length: every seq is there, but the hash the
/// consumer anchored at its cursor differs — divergent history, a distinct verdict and exit status.
final class DivergentUpstreamTests: XCTestCase {
    var dir = ""
    var processes: [ServiceProcess] = []
    var intakeLog: String { "\(dir)/intake.log.sqlite" }
    var control: String { "ipc://\(dir)/verify-ctl.sock" }

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("diverge")
        try writeIntake(marker: 43)
    }

    override func tearDown() {
        for p in processes { p.stop() }
        try? FileManager.default.removeItem(atPath: dir)
    }

    func writeIntake(marker: UInt64) throws {
        let oldMask = umask(0o077)
        defer { umask(oldMask) }
        let log = try EventLog(path: intakeLog, stream: "intake")
        let events = (1...300).map { i in
            Event(
                id: EventID(high: marker, low: UInt64(i)), type: "Unrelated", subject: "H\(i)",
                region: "220182101201", occurredAt: Int64(i), payload: Array("{\"n\":\(i)}".utf8))
        }
        try log.append(events, recordedAt: 1)
    }

    func startVerify() throws -> ServiceProcess {
        let p = try startVerifyFollowingFile(intakeLog: intakeLog, dir: dir, dataDirectory: dir, control: control)
        processes.append(p)
        return p
    }

    func testAReplacedUpstreamOfTheSameLengthIsReportedAsDivergent() throws {
        let verify = try startVerify()
        try waitReady(control)
        try waitFor("verify to consume the whole intake log") {
            let reply = command(control, "STATUS", timeoutMs: 1000)?.1
            return reply?["upstreams"]?.arrayValue?.first?["cursor"]?.intValue == 300
        }
        verify.stop()
        let (before, sound) = try ServiceProcess.gonggu(["log", "verify", "--all", dir])
        print("before (exit \(before)):\n\(sound)")
        XCTAssertEqual(before, LogVerifyAllExit.ok)
        XCTAssertTrue(sound.contains("verify → intake"), sound)

        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: intakeLog + suffix) }
        try writeIntake(marker: 44)
        let (code, report) = try ServiceProcess.gonggu(["log", "verify", "--all", dir])
        print("after replacement (exit \(code)):\n\(report)")
        XCTAssertEqual(code, LogVerifyAllExit.divergent)
        XCTAssertTrue(report.contains("intake.log.sqlite: 完好 ok: 300 events"), report)
        XCTAssertTrue(report.contains("历史分叉 divergent history"), report)
        XCTAssertTrue(report.contains("at seq 300"), report)
        XCTAssertTrue(report.contains("held by verify log"), report)
    }
}

/// Exit statuses of `gonggu log verify --all`, as documented in docs/OPERATIONS.md.
enum LogVerifyAllExit {
    static let ok: Int32 = 0
    static let damaged: Int32 = 1
    static let lostTail: Int32 = 3
    static let divergent: Int32 = 4
}
