import Foundation
import GongguCore
import GongguHarness
import GongguServices
import XCTest

/// The outbox round trip (docs/OPERATIONS.md, "The outbox round trip") with real processes: a finding goes to a 残联
/// office on the outbox channel; the office fills 处理结果/处理日期 into its daily outbox CSV and returns it; `gonggu import
/// FILE --kind receipt` acknowledges each notification, and later ticks escalate none of them.
final class ReceiptEndToEndTests: PipelineTestCase {
    func recipients() -> [PipelineLauncher.Recipient] {
        let office = ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "MonitoringWithoutAssistance"]
        return [
            .init(id: "22-office", name: "吉林省残联", kind: "office", level: "province", region: "22", types: office,
                  channels: ["outbox"]),
            .init(id: "2201-office", name: "长春市残联", kind: "office", level: "city", region: "2201", types: office,
                  escalateTo: "22-office", channels: ["outbox"]),
            .init(id: "220102-office", name: "南关区残联", kind: "office", level: "county", region: "220102",
                  types: office, escalateTo: "2201-office", channels: ["outbox"]),
        ]
    }

    private func pending(_ recipient: String) -> Int? {
        launcher.call("notify", "PENDING", body: "{\"recipient\":\"\(recipient)\"}")?.body?["pending"]?.intValue
    }

    /// Waits, with a deadline, until `condition` holds.
    private func wait(_ what: String, timeout: TimeInterval = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else {
                XCTFail("timed out waiting for \(what)")
                throw CocoaError(.userCancelled)
            }
            _ = try? launcher.waitIdle(timeout: 1)
        }
    }

    func testOfficeReturnsItsOutboxFileAndTheNotificationsAreAcknowledged() throws {
        let l = try makeLauncher(recipients: recipients())
        try l.startAll()
        XCTAssertEqual(try importFile(fixture("survey_utf8.csv"), kind: "survey").0, 0)
        try importFile(fixture("subsidy.jsonl"), kind: "subsidy")
        try l.waitIdle(timeout: 60)
        tick("2025-12-31", services: ["verify", "risk"])
        try l.waitIdle(timeout: 60)

        // The county office's outbox file (one per created date), with the empty columns to fill in.
        let outbox = "\(l.dataDirectory)/outbox"
        var files: [String] = []
        try wait("the county office's outbox file") {
            files = ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? [])
                .filter { $0.hasPrefix("220102-office-") && $0.hasSuffix(".csv") }.sorted()
            return !files.isEmpty && (pending("220102-office") ?? 0) > 0
        }
        let open = try XCTUnwrap(pending("220102-office"))
        var returned: [[String]] = []
        var header: [String] = []
        for f in files {
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: "\(outbox)/\(f)"))
            XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "BOM for Excel")
            let rows = CSV.parse(String(decoding: bytes.dropFirst(3), as: UTF8.self))
            header = rows[0]
            XCTAssertEqual(Array(header.suffix(2)), ["处理结果", "处理日期"])
            XCTAssertEqual(header.first, "通知编号")
            for row in rows.dropFirst() {
                XCTAssertEqual(Array(row.suffix(2)), ["", ""], "written empty")
                returned.append(row)
            }
        }
        XCTAssertEqual(returned.count, open)

        // The office fills in both columns (处理日期 = the day it was created) and sends the file back.
        let created = try XCTUnwrap(header.firstIndex(of: "生成日期"))
        let filled = returned.map { row -> [String] in
            var r = row
            r[r.count - 2] = "已入户核实，护理补贴已申请, 待发放"
            r[r.count - 1] = row[created]
            return r
        }
        let path = "\(root)/220102-office-returned.csv"
        try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array(CSV.write([header] + filled).utf8))
            .write(to: URL(fileURLWithPath: path))
        let (status, out) = try importFile(path, kind: "receipt", allowRejects: false)
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("读取 \(open) 条，接收 \(open) 条，重复 0 条，退回 0 条"), out)
        try wait("the receipts folded by the notifier") { pending("220102-office") == 0 }
        try l.waitIdle(timeout: 30)

        // Sent again: every row is a duplicate, nothing is appended.
        let (again, out2) = try importFile(path, kind: "receipt", allowRejects: false)
        XCTAssertEqual(again, 0, out2)
        XCTAssertTrue(out2.contains("读取 \(open) 条，接收 0 条，重复 \(open) 条，退回 0 条"), out2)

        // A row with an edited id is refused, with file, line and field.
        var bad = filled[0]
        bad[0] = String(repeating: "0", count: 31) + "1"
        let badPath = "\(root)/bad.csv"
        try CSV.write([header, bad]).write(toFile: badPath, atomically: true, encoding: .utf8)
        let (badStatus, badOut) = try importFile(badPath, kind: "receipt", allowRejects: false)
        XCTAssertEqual(badStatus, 2, badOut)
        let (_, rejects) = try runCLI(["rejects", "--file", "bad.csv", "--control", l.control("intake")])
        XCTAssertTrue(rejects.contains("第2行「通知编号」：系统中没有这个通知编号"), rejects)

        // Weeks later: nothing of the county's escalates to the city office (which only has its own
        // direct copies, left unacknowledged here), and nothing of the county's is overdue.
        let cityBefore = try XCTUnwrap(pending("2201-office"))
        for date in ["2026-01-10", "2026-02-01", "2026-03-01"] {
            tick(date, services: ["notify"])
            try l.waitIdle(timeout: 30)
        }
        XCTAssertEqual(pending("2201-office"), cityBefore, "no escalation of the county's notifications")
        XCTAssertEqual(pending("220102-office"), 0)
        let overdue = l.call("notify", "OVERDUE", body: "{\"recipient\":\"220102-office\"}")?.body?.arrayValue
        XCTAssertEqual(overdue?.count, 0)
        let cityOverdue = l.call("notify", "OVERDUE", body: "{\"recipient\":\"2201-office\"}")?.body?.arrayValue
        XCTAssertEqual(cityOverdue?.count, cityBefore, "the city's own copies, unacknowledged, are overdue: the clock ran")
    }
}

/// RFC 4180, as much as the test needs (the outbox's own quoting: commas, quotes, line breaks).
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r\n" || c == "\n" || c == "\r" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
        return rows
    }

    static func write(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { f in
                f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                    ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}
