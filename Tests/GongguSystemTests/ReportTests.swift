import Foundation
import GongguCore
import GongguEvents
import GongguStore
import GongguVerify
import XCTest

/// `gonggu report` (docs/REPORT.md) over a small simulated province run through the real
/// pipeline (`gonggu demo`, four service processes). Every number of the report is compared with a
/// count written here independently from the raw events (JSON parsed generically, plain filters,
/// dates compared as text); case lists add up to the tables; the page is self-contained; the report
/// of a year does not change when later events arrive; Chromium renders it.
final class ReportTests: XCTestCase {
    static let year = 2025
    nonisolated(unsafe) static var root = ""
    nonisolated(unsafe) static var demoError: String?

    /// The demo runs once for the whole class (half a minute).
    override class func setUp() {
        super.setUp()
        do {
            root = try makeTemporaryDirectory("report")
            let (status, output) = try runGonggu(["demo", "--households", "600", "--seed", "5", "--dir",
                root + "/demo"])
            if status != 0 { demoError = "demo failed: \(output.suffix(2000))" }
        } catch {
            demoError = "\(error)"
        }
    }

    override class func tearDown() {
        if !root.isEmpty { try? FileManager.default.removeItem(atPath: root) }
        super.tearDown()
    }

    var data: String { Self.root + "/demo/deploy/data" }

    override func setUpWithError() throws {
        if let e = Self.demoError { XCTFail(e) }
    }

    static func runGonggu(_ args: [String]) throws -> (Int32, String) { try ServiceProcess.gonggu(args) }

    /// Runs `gonggu report` for the year into `out`; fails the test on a non-zero exit.
    @discardableResult
    func report(logs: String, out: String, _ extra: [String] = []) throws -> String {
        let (status, output) = try Self.runGonggu(["report", "--year", "\(Self.year)", "--logs", logs, "--out",
            out] + extra)
        XCTAssertEqual(status, 0, output)
        return output
    }

    // MARK: Report files are personal data (docs/OPERATIONS.md, "Personal data in what the CLI prints and writes")

    func testReportFilesAreReadableByOwnerAndGroupOnly() throws {
        let out = Self.root + "/private/report"
        let old = umask(0o022)
        defer { umask(old) }
        try report(logs: data, out: out)
        let fm = FileManager.default
        func mode(_ path: String) -> Int {
            ((try? fm.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        XCTAssertEqual(mode(out), 0o750, "the report folder")
        let names = try fm.contentsOfDirectory(atPath: out)
        XCTAssertTrue(names.contains { $0.hasPrefix("明细-") }, "case lists written")
        for name in names { XCTAssertEqual(mode("\(out)/\(name)"), 0o640, name) }
    }

    // MARK: Every number equals an independent count

    func testEveryNumberEqualsAnIndependentCount() throws {
        let out = Self.root + "/count"
        try report(logs: data, out: out)
        let truth = try IndependentCount(directory: data, year: Self.year)
        // Table file, column header → the independent case set it must count.
        let checks: [(String, String, IndependentCount.Cases)] = [
            ("表1-帮扶措施保持延续.csv", "脱贫残疾人家庭（户）", truth.lifted),
            ("表1-帮扶措施保持延续.csv", "年初在享主要帮扶措施（户）", truth.measureAtStart),
            ("表1-帮扶措施保持延续.csv", "年初无在享主要帮扶措施（户）", truth.noMeasureAtStart),
            ("表1-帮扶措施保持延续.csv", "全部延续（户）", truth.continued),
            ("表1-帮扶措施保持延续.csv", "中断（户）", truth.discontinued),
            ("表3-防返贫监测.csv", "年末监测户", truth.monitored),
            ("表3-防返贫监测.csv", "建议纳入", truth.recommended),
            ("表3-防返贫监测.csv", "新纳入（确认）", truth.included),
            ("表3-防返贫监测.csv", "建议风险消除", truth.eliminationRecommended),
            ("表3-防返贫监测.csv", "风险消除（确认）", truth.eliminated),
            ("表5-康复服务与无障碍改造.csv", "需要康复服务（人）", truth.rehabNeeded),
            ("表5-康复服务与无障碍改造.csv", "获得康复服务（人）", truth.rehabServed),
            ("表5-康复服务与无障碍改造.csv", "需要改造（户）", truth.accessibilityNeeded),
            ("表5-康复服务与无障碍改造.csv", "已改造（户）", truth.accessibilityDone),
            ("表6-年末未关闭核查发现.csv", "应享未享", truth.open["EntitlementGap"] ?? [:]),
            ("表6-年末未关闭核查发现.csv", "帮扶措施中断", truth.open["AssistanceDiscontinued"] ?? [:]),
            ("表6-年末未关闭核查发现.csv", "发放异常", truth.open["PaymentAnomaly"] ?? [:]),
            ("表8-乡村振兴局反馈.csv", "发送（件）", truth.feedbackSent),
            ("表8-乡村振兴局反馈.csv", "已确认（件）", truth.feedbackAcknowledged),
            ("表8-乡村振兴局反馈.csv", "已决定（件）", truth.feedbackAnswered),
        ]
        var compared = 0
        for (file, column, cases) in checks {
            let table = try CSVTable(path: "\(out)/\(file)")
            XCTAssertGreaterThan(table.rows.count, 3, "\(file): the province, prefectures and counties")
            for row in table.rows {
                let code = row["区划代码"] == "—" ? "" : row["区划代码"]!
                XCTAssertEqual(Int(row[column] ?? ""), cases.count(in: code), "\(file) \(column) region '\(code)'")
                compared += 1
            }
        }
        let coverage = try CSVTable(path: "\(out)/表2b-应享尽享分地区明细.csv")
        let measures = ["低保（含单人户施保）": "dibao", "困难残疾人生活补贴": "living", "重度残疾人护理补贴": "nursing",
                        "养老保险保费代缴": "pension", "残疾儿童康复救助": "childRehabilitation"]
        for row in coverage.rows {
            let code = row["区划代码"] == "—" ? "" : row["区划代码"]!
            let m = try XCTUnwrap(measures[row["待遇"]!])
            let unmet = truth.unmet[m] ?? [:], receiving = truth.receiving[m] ?? [:]
            XCTAssertEqual(Int(row["应享未享（人）"]!), unmet.count(in: code), "unmet \(m) '\(code)'")
            XCTAssertEqual(Int(row["已享（人）"]!), receiving.count(in: code), "receiving \(m) '\(code)'")
            XCTAssertEqual(Int(row["应享（人）"]!), unmet.count(in: code) + receiving.count(in: code),
                "entitled \(m) '\(code)'")
            compared += 3
        }
        // The simulated province must exercise the indicators, or the comparison proves little.
        XCTAssertGreaterThan(truth.lifted.count, 100)
        XCTAssertGreaterThan(truth.discontinued.count, 0)
        XCTAssertGreaterThan(truth.measureAtStart.count, 0)
        XCTAssertGreaterThan(truth.noMeasureAtStart.count, 0)
        XCTAssertGreaterThan(truth.monitored.count, 0)
        XCTAssertGreaterThan(truth.recommended.count, 0)
        XCTAssertGreaterThan(truth.feedbackSent.count, 0)
        XCTAssertGreaterThan((truth.unmet["living"] ?? [:]).count + (truth.unmet["nursing"] ?? [:]).count, 0)
        XCTAssertGreaterThan(compared, 500)
    }

    // MARK: Case lists

    func testCaseListsAddUpToTheTables() throws {
        let out = Self.root + "/cases"
        try report(logs: data, out: out)
        let pairs: [(String, String, String)] = [
            ("表1-帮扶措施保持延续.csv", "脱贫残疾人家庭（户）", "lifted"),
            ("表1-帮扶措施保持延续.csv", "年初在享主要帮扶措施（户）", "measureAtStart"),
            ("表1-帮扶措施保持延续.csv", "年初无在享主要帮扶措施（户）", "noMeasureAtStart"),
            ("表1-帮扶措施保持延续.csv", "全部延续（户）", "continued"),
            ("表1-帮扶措施保持延续.csv", "中断（户）", "discontinued"),
            ("表3-防返贫监测.csv", "年末监测户", "monitored"),
            ("表3-防返贫监测.csv", "建议纳入", "recommended"),
            ("表5-康复服务与无障碍改造.csv", "需要康复服务（人）", "rehabNeeded"),
            ("表5-康复服务与无障碍改造.csv", "已改造（户）", "accessibilityDone"),
            ("表6-年末未关闭核查发现.csv", "应享未享", "open.EntitlementGap"),
            ("表6-年末未关闭核查发现.csv", "发放异常", "open.PaymentAnomaly"),
            ("表8-乡村振兴局反馈.csv", "发送（件）", "feedbackSent"),
        ]
        for (file, column, indicator) in pairs {
            let table = try CSVTable(path: "\(out)/\(file)")
            let cases = try CSVTable(path: "\(out)/明细-\(indicator).csv")
            for row in table.rows {
                let code = row["区划代码"] == "—" ? "" : row["区划代码"]!
                let n = cases.rows.filter { $0["区划代码"]!.hasPrefix(code) }.count
                XCTAssertEqual(Int(row[column]!), n, "\(indicator) in '\(code)'")
            }
            // Every case names its household and at least one event that exists in a log.
            for c in cases.rows {
                XCTAssertFalse(c["户编号"]!.isEmpty)
                XCTAssertFalse(c["事件编号"]!.isEmpty, "\(indicator): a case without events")
            }
        }
        // Entitled = receiving + unmet, per measure, in the case lists too.
        for m in ["dibao", "living", "nursing", "pension", "childRehabilitation"] {
            let e = try CSVTable(path: "\(out)/明细-entitled.\(m).csv").rows.count
            let r = try CSVTable(path: "\(out)/明细-receiving.\(m).csv").rows.count
            let u = try CSVTable(path: "\(out)/明细-unmet.\(m).csv").rows.count
            XCTAssertEqual(e, r + u, m)
        }
        // Event ids in case lists resolve to events of the logs.
        let ids = try allEventIDs()
        let sample = try CSVTable(path: "\(out)/明细-discontinued.csv").rows
            + CSVTable(path: "\(out)/明细-lifted.csv").rows.prefix(50)
        for c in sample {
            for id in c["事件编号"]!.split(separator: " ") { XCTAssertTrue(ids.contains(String(id)), "event \(id)") }
        }
        // Resident IDs are masked: no 18-character ID in any case list.
        for f in try FileManager.default.contentsOfDirectory(atPath: out) where f.hasPrefix("明细") {
            for row in try CSVTable(path: "\(out)/\(f)").rows {
                let id = row["身份证号（脱敏）"] ?? ""
                XCTAssertTrue(id.isEmpty || id.contains("********"), "\(f): unmasked resident ID")
            }
        }
    }

    func allEventIDs() throws -> Set<String> {
        var ids = Set<String>()
        for s in ["intake", "risk", "verify", "notify"] {
            let log = try EventLog(path: "\(data)/\(s).log.sqlite", stream: s, readOnly: true)
            try log.forEach { ids.insert($0.id.description) }
        }
        return ids
    }

    // MARK: The page

    func testPageIsSelfContainedAndWellFormed() throws {
        let out = Self.root + "/page"
        try report(logs: data, out: out)
        let html = try String(contentsOfFile: "\(out)/报告.html", encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("@page { size: A4"))
        for forbidden in ["<script", "http://", "https://", "src=", "<link", "@import", "url("] {
            XCTAssertFalse(html.contains(forbidden), "external reference or script: \(forbidden)")
        }
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 4, "four charts")
        XCTAssertEqual(html.components(separatedBy: "<svg ").count, html.components(separatedBy: "</svg>").count)
        for tag in ["table", "section", "figure", "tr", "td", "th", "text", "thead", "tbody", "title"] {
            let opened = html.components(separatedBy: "<\(tag)>").count
                + html.components(separatedBy: "<\(tag) ").count - 2
            XCTAssertEqual(opened, html.components(separatedBy: "</\(tag)>").count - 1, "<\(tag)> balanced")
        }
        // Head hashes of the logs as they were read.
        for s in ["intake", "risk", "verify", "notify"] {
            let log = try EventLog(path: "\(data)/\(s).log.sqlite", stream: s, readOnly: true)
            XCTAssertTrue(html.contains(try log.headHash.hexString), "\(s) head hash shown")
        }
        // CSV files open in Excel: UTF-8 with BOM.
        for f in try FileManager.default.contentsOfDirectory(atPath: out) where f.hasSuffix(".csv") {
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: "\(out)/\(f)"))
            XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], f)
        }
    }

    // MARK: A year's report never changes

    func testReportOfAYearDoesNotChangeWhenLaterEventsArrive() throws {
        let logs = Self.root + "/later"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        for s in ["intake", "risk", "verify", "notify"] {
            // The services are stopped: the WAL was checkpointed on close, the main file is the log.
            try FileManager.default.copyItem(atPath: "\(data)/\(s).log.sqlite", toPath: "\(logs)/\(s).log.sqlite")
            for ext in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: "\(data)/\(s).log.sqlite\(ext)") {
                try FileManager.default.copyItem(atPath: "\(data)/\(s).log.sqlite\(ext)",
                    toPath: "\(logs)/\(s).log.sqlite\(ext)")
            }
        }
        let closing = ["--closed-at", "2029-06-01"]
        let r1 = try report(logs: logs, out: Self.root + "/r1")
        let upto = try XCTUnwrap(r1.split(separator: "\n").first { $0.hasPrefix("复核 reproduce: --upto ") })
            .replacingOccurrences(of: "复核 reproduce: --upto ", with: "")
        try report(logs: logs, out: Self.root + "/c1", closing)

        // Later events, recorded after the closing instant: a 2026 status change (business time after
        // the year) and a late discontinuation about November 2025 (inside the year).
        let later = BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(year: 2030, month: 1, day: 2))
        let intake = try EventLog(path: "\(logs)/intake.log.sqlite", stream: "intake")
        let lifted = try firstLiftedHousehold(intake)
        let status = HouseholdStatusRecorded(
            householdID: lifted.household, status: .monitoredUnstable, effectiveDate: "2026-03-01",
            source: SourceRef(file: "later.csv", line: 2))
        try intake.append([Event(status, id: EventID.derived("later-status"), subject: lifted.household,
                                 region: lifted.region, occurredAt: ts(2026, 3, 1))], recordedAt: later)
        let r2 = try report(logs: logs, out: Self.root + "/r2")
        XCTAssertNotEqual(r1, r2, "the head moved")
        try assertSameExceptSource(Self.root + "/r1", Self.root + "/r2")

        // The late discontinuation concerns a household counted as continued whose household 低保 was
        // active on 1 January (only a measure active at the start can discontinue, docs/REPORT.md).
        let kept = try continuedHouseholdWithDibao(intake, cases: Self.root + "/r1/明细-continued.csv")
        let verify = try EventLog(path: "\(logs)/verify.log.sqlite", stream: "verify")
        let finding = AssistanceDiscontinued(
            findingID: "late|\(kept.household)|dibao", householdID: kept.household, personID: nil, measure: .dibao,
            periodFrom: "2025-11", periodTo: "2025-12", title: "低保中断", summary: "补录的中断发现",
                ruleID: "verify.discontinued.dibao",
            ruleVersion: "test", evidence: [], thresholds: [("months", 2)], months: 2)
        try verify.append([Event(finding, id: EventID.derived("late-finding"), subject: kept.household,
                                 region: kept.region, occurredAt: ts(2025, 12, 20))], recordedAt: later)
        try report(logs: logs, out: Self.root + "/r3")
        XCTAssertNotEqual(try file(Self.root + "/r1", "表1-帮扶措施保持延续.csv"), try file(Self.root + "/r3",
            "表1-帮扶措施保持延续.csv"),
                          "a late event about the year changes a report read to the heads")

        // Given the first report's seqs, or the closing instant, the report is identical byte for byte.
        try report(logs: logs, out: Self.root + "/r4", ["--upto", upto])
        try assertIdentical(Self.root + "/r1", Self.root + "/r4")
        try report(logs: logs, out: Self.root + "/c2", closing)
        try assertIdentical(Self.root + "/c1", Self.root + "/c2")
    }

    func ts(_ y: Int, _ m: Int, _ d: Int) -> Timestamp {
        BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(year: y, month: m, day: d))
    }

    func firstLiftedHousehold(_ log: EventLog) throws -> (household: String, region: String) {
        var found: (String, String)?
        try log.forEach { e in
            guard found == nil, e.type == HouseholdStatusRecorded.eventType,
                let p = try? e.decode(HouseholdStatusRecorded.self), p.status == .lifted
            else { return }
            found = (p.householdID, e.region)
        }
        return try XCTUnwrap(found)
    }

    /// A household of the report's `continued` case list whose household 低保 (latest record of its span,
    /// in log order) covers January of the report year.
    func continuedHouseholdWithDibao(_ log: EventLog, cases: String) throws -> (household: String, region: String) {
        let continued = Dictionary(try CSVTable(path: cases).rows.map { ($0["户编号"]!, $0["区划代码"]!) },
                                   uniquingKeysWith: { a, _ in a })
        var spans: [String: AssistanceRecorded] = [:]
        try log.forEach { e in
            guard e.type == AssistanceRecorded.eventType, let p = try? e.decode(AssistanceRecorded.self),
                  p.programme == .dibao, p.personID == nil, continued[p.householdID] != nil else { return }
            spans["\(p.householdID)|\(p.startMonth)"] = p
        }
        let january = "\(Self.year)-01"
        let found = spans.values.filter { $0.startMonth <= january && ($0.stopMonth ?? "9999-12") >= january }
            .map(\.householdID).sorted().first
        let household = try XCTUnwrap(found, "a continued household with 低保 at the start")
        return (household, continued[household]!)
    }

    func file(_ dir: String, _ name: String) throws -> Data {
        try XCTUnwrap(FileManager.default.contents(atPath: "\(dir)/\(name)"), "\(dir)/\(name)")
    }

    func assertIdentical(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
        XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: b).sorted(), file: file, line: line)
        for n in names {
            XCTAssertEqual(try self.file(a, n), try self.file(b, n), "\(n) differs", file: file, line: line)
        }
    }

    /// Same files, byte for byte, except the source block (table 0 and its copy in the page).
    func assertSameExceptSource(_ a: String, _ b: String) throws {
        for n in try FileManager.default.contentsOfDirectory(atPath: a).sorted() {
            if n == "表0-数据来源.csv" { continue }
            if n == "报告.html" {
                func strip(_ d: Data) -> String {
                    let s = String(decoding: d, as: UTF8.self)
                    guard let start = s.range(of: "<caption>数据来源"), let end = s.range(of: "</table>",
                        range: start.upperBound..<s.endIndex)
                    else { return s }
                    return String(s[..<start.lowerBound]) + String(s[end.upperBound...])
                }
                XCTAssertEqual(strip(try file(a, n)), strip(try file(b, n)), "page differs outside the source block")
                XCTAssertNotEqual(try file(a, n), try file(b, n), "the source block shows the new head")
            } else {
                XCTAssertEqual(try file(a, n), try file(b, n), "\(n) differs")
            }
        }
    }

    // MARK: Chromium

    func testChromiumRendersThePageToPNG() throws {
        _ = try HeadlessChromium.executable()
        let out = Self.root + "/png"
        try report(logs: data, out: out)
        let png = out + "/报告.png"
        try HeadlessChromium.screenshot(out + "/报告.html", to: png)
        if let keep = ProcessInfo.processInfo.environment["GONGGU_REPORT_PNG"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: png, toPath: keep)
        }
    }
}

/// A CSV table written by the report: BOM, header line, plain fields (the tables have no quoted ones).
struct CSVTable {
    var rows: [[String: String]] = []

    init(path: String) throws {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines[0].components(separatedBy: ",")
        for l in lines.dropFirst() {
            let f = l.components(separatedBy: ",")
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, f + Array(repeating: "", count: max(0,
                header.count - f.count)))))
        }
    }
}
