import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// An office on the outbox channel acknowledges by returning its outbox file with
/// 处理结果/处理日期 filled in; intake records each row as `ReceiptRecorded`, which the notifier folds
/// exactly as the office's own `ack` — closing the escalation chain — and keeps the 处理结果.
final class ReceiptFoldTests: XCTestCase {
    /// The standard directory with the 残联 offices on the outbox channel only.
    private func outboxDirectory(afterDays: Int = 2) -> String {
        let recipients = standardRecipients.map { r -> TestRecipient in
            var r = r
            if r.kind == "office" { r.channels = ["outbox"] }
            return r
        }
        return directoryDocument(recipients, afterDays: afterDays)
    }

    /// A finding for household H3 routed on `day0` to 220102-office and 2201-office (outbox) under a
    /// 2-day deadline, and to nobody else; returns the script and 220102-office's notification id.
    private func routedFinding() throws -> (script: Script, county: String, city: String) {
        var s = Script()
        s.directory(outboxDirectory())
        s.tick(day0)
        s.upstream("EntitlementGap", household: "H3", region: "220102001002", day: day0)
        let notes = created(runFold(s.events).outputs)
        let county = try XCTUnwrap(notes.first { $0.recipient == "220102-office" }).notificationID
        let city = try XCTUnwrap(notes.first { $0.recipient == "2201-office" }).notificationID
        return (s, county, city)
    }

    @discardableResult
    private func receipt(_ s: inout Script, _ id: String, date: Int, result: String? = nil) -> Event {
        s.add(
            ReceiptRecorded(
                notificationID: id, date: BusinessCalendar.dateText(ofDay: date), result: result,
                source: SourceRef(file: "220102-office-2025-03-01.csv", line: 2)),
            subject: id, region: "220102001002", at: BusinessCalendar.timestamp(ofDay: date))
    }

    func testReceiptIsAnUpstreamTypeOfTheNotifier() {
        XCTAssertTrue(NotifyFold.upstreamTypes.contains(ReceiptRecorded.eventType))
    }

    func testReceiptAcknowledgesAndKeepsTheResult() throws {
        var (s, county, _) = try routedFinding()
        receipt(&s, county, date: day0 + 1, result: "已入户核实，护理补贴已补发")
        let fold = runFold(s.events).fold
        let status = try XCTUnwrap(fold.status(of: county))
        XCTAssertEqual(status.acknowledged, BusinessCalendar.dateText(ofDay: day0 + 1))
        XCTAssertEqual(status.result, "已入户核实，护理补贴已补发")
        XCTAssertEqual(fold.pending(for: "220102-office"), [])
        XCTAssertEqual(fold.counts(recipient: "220102-office").acknowledged, 1)
        XCTAssertEqual(fold.counts(recipient: "220102-office").ackDaysTotal, 1)
        XCTAssertEqual(fold.anomalies, NotifyAnomalies())
    }

    func testReceiptWithoutResultAcknowledges() throws {
        var (s, county, _) = try routedFinding()
        receipt(&s, county, date: day0)
        let fold = runFold(s.events).fold
        XCTAssertEqual(fold.status(of: county)?.acknowledged, BusinessCalendar.dateText(ofDay: day0))
        XCTAssertNil(fold.status(of: county)?.result)
    }

    /// Acknowledged in time by receipt: the later ticks escalate nothing of it.
    func testReceiptStopsEscalation() throws {
        var (s, county, city) = try routedFinding()
        receipt(&s, county, date: day0 + 1, result: "已处理")
        receipt(&s, city, date: day0 + 1)
        for d in 2...12 { s.tick(day0 + d) }
        let run = runFold(s.events)
        XCTAssertEqual(escalations(run.outputs), [])
        XCTAssertEqual(run.fold.overdueCount, 0)
    }

    /// The file came back late: the county's notification escalated to the city office, and the city's
    /// escalation to nobody (2201-office has no escalateTo). The receipt for the original closes the chain.
    func testLateReceiptClosesTheEscalationChain() throws {
        var (s, county, city) = try routedFinding()
        receipt(&s, city, date: day0)
        s.tick(day0 + 3)
        let before = runFold(s.events)
        let escalated = escalations(before.outputs)
        XCTAssertEqual(escalated.map(\.notificationID), [county])
        let escalationID = try XCTUnwrap(escalated.first?.escalationID)
        XCTAssertEqual(before.fold.pending(for: "2201-office").map(\.notificationID), [escalationID])

        receipt(&s, county, date: day0 + 2, result: "已处理（回执迟交）")
        for d in 4...12 { s.tick(day0 + d) }
        let after = runFold(s.events)
        XCTAssertEqual(escalations(after.outputs).count, 1, "no escalation after the receipt")
        XCTAssertEqual(after.fold.pending(for: "2201-office"), [])
        XCTAssertEqual(after.fold.status(of: escalationID)?.withdrawn, BusinessCalendar.dateText(ofDay: day0 + 2))
        XCTAssertEqual(after.fold.status(of: county)?.result, "已处理（回执迟交）")
        XCTAssertEqual(after.fold.overdueCount, 0)
    }

    /// A second receipt for the same notification (the file sent twice, or edited) changes nothing but
    /// the duplicate count: the first acknowledgement and result stand.
    func testDuplicateReceiptIsIdempotent() throws {
        var (s, county, _) = try routedFinding()
        receipt(&s, county, date: day0 + 1, result: "第一次")
        let once = runFold(s.events).fold
        receipt(&s, county, date: day0 + 1, result: "第一次")
        receipt(&s, county, date: day0 + 2, result: "改过的结果")
        let thrice = runFold(s.events).fold
        XCTAssertEqual(thrice.status(of: county), once.status(of: county))
        XCTAssertEqual(thrice.counts(recipient: "220102-office"), once.counts(recipient: "220102-office"))
        XCTAssertEqual(thrice.anomalies.duplicateReceipts, 2)
        var expected = once.anomalies
        expected.duplicateReceipts = 2
        XCTAssertEqual(thrice.anomalies, expected)
    }

    /// Table: receipts the fold refuses (intake refuses them at import; the fold decides on its own state).
    func testRefusedReceiptsChangeNothing() throws {
        let (base, county, _) = try routedFinding()
        var bureauScript = base
        bureauScript.upstream("RiskFeedback", household: "H1", region: "220102001001", day: day0)
        let bureauNote = try XCTUnwrap(
            created(runFold(bureauScript.events).outputs).first { $0.recipient == "220102-bureau" }
        ).notificationID
        let cases: [(String, Script, String, Int)] = [
            ("unknown id", base, String(repeating: "ab", count: 16), day0 + 1),
            ("not a notification id", base, "通知编号", day0 + 1),
            ("recipient without outbox channel", bureauScript, bureauNote, day0 + 1),
            ("dated before the notification was created", base, county, day0 - 1),
        ]
        for (name, script, id, date) in cases {
            var s = script
            let untouched = runFold(s.events).fold
            receipt(&s, id, date: date, result: "x")
            let fold = runFold(s.events).fold
            XCTAssertEqual(fold.anomalies.refusedReceipts, 1, name)
            XCTAssertEqual(fold.counts(regionPrefix: ""), untouched.counts(regionPrefix: ""), name)
            XCTAssertEqual(fold.notificationCount.open, untouched.notificationCount.open, name)
        }
    }

    /// Replay gives the same state: the same events in a fresh fold, and in a fold fed in two parts.
    func testReplayGivesTheSameDigest() throws {
        var (s, county, city) = try routedFinding()
        s.tick(day0 + 3)
        receipt(&s, county, date: day0 + 2, result: "已处理")
        receipt(&s, county, date: day0 + 2, result: "已处理")
        receipt(&s, city, date: day0 + 4)
        for d in 4...8 { s.tick(day0 + d) }
        let first = runFold(s.events).fold
        let second = runFold(s.events).fold
        XCTAssertEqual(first.stateDigest(), second.stateDigest())
        // The result is part of the state digest.
        var (t, county2, city2) = try routedFinding()
        t.tick(day0 + 3)
        receipt(&t, county2, date: day0 + 2, result: "别的结果")
        receipt(&t, county2, date: day0 + 2, result: "已处理")
        receipt(&t, city2, date: day0 + 4)
        for d in 4...8 { t.tick(day0 + d) }
        XCTAssertNotEqual(runFold(t.events).fold.stateDigest(), first.stateDigest())
    }
}
