import Foundation
import GongguCore
import GongguStore
import XCTest

/// `gonggu rules diff --out` and `gonggu recipients diff --out` over the logs of a small
/// province run through the real pipeline (`gonggu demo`, four service processes, stopped before the
/// commands run). The pages are checked against the CSV files beside them and rendered by headless
/// Chromium; the recipient changes are checked against the notifications in the notifier's log,
/// read here with a generic JSON parse.
final class WhatIfPageTests: XCTestCase {
    nonisolated(unsafe) static var root = ""
    nonisolated(unsafe) static var demoError: String?

    override class func setUp() {
        super.setUp()
        do {
            root = try makeTemporaryDirectory("whatif")
            let (status, output) = try ServiceProcess.gonggu([
                "demo", "--households", "300", "--seed", "5", "--dir", root + "/demo",
            ])
            if status != 0 { demoError = "demo failed: \(output.suffix(2000))" }
        } catch {
            demoError = "\(error)"
        }
    }

    override class func tearDown() {
        if !root.isEmpty { try? FileManager.default.removeItem(atPath: root) }
        super.tearDown()
    }

    override func setUpWithError() throws {
        if let e = Self.demoError { XCTFail(e) }
    }

    var data: String { Self.root + "/demo/deploy/data" }

    private func write(_ text: String, _ name: String) throws -> String {
        let path = Self.root + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Rows of a CSV file the commands write (BOM, CRLF), split on commas (fields checked have none).
    private func csv(_ path: String) throws -> [[String]] {
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path), path)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "\(path): BOM")
        return String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            .filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
    }

    private func assertSelfContained(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        for forbidden in ["<script", "http:", "https:", "src=", "<link", "url(", "<img"] {
            XCTAssertFalse(html.contains(forbidden), forbidden, file: file, line: line)
        }
    }

    // MARK: rules diff

    func testRulesDiffPageShowsTheCountsTheKeysAndTheChartAndRendersInChromium() throws {
        let file = try write(
            """
            {"version": "page-line", "effectiveFrom": "2025-01-01", "ruleSet": "risk",
             "defaults": {"monitoringLineFen": {"2025": 1000000}}, "regions": {}}
            """, "risk-proposed-partial.json")
        // A partial document is refused (exit 65) before anything is replayed; then the whole one.
        let (refused, refusal) = try ServiceProcess.gonggu(["rules", "diff", file, "--service", "risk", "--logs", data])
        XCTAssertEqual(refused, 65, refusal)
        let whole = try write(try riskDocument(line2025: 1_000_000, version: "page-line"), "risk-proposed.json")
        let out = Self.root + "/rules-diff"
        let (status, output) = try ServiceProcess.gonggu([
            "rules", "diff", whole, "--service", "risk", "--logs", data, "--out", out, "--quiet",
        ])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("\(out)/规则差异.html"), output)
        let page = out + "/规则差异.html"
        let html = try String(contentsOfFile: page, encoding: .utf8)
        assertSelfContained(html)
        XCTAssertTrue(html.contains("<title>规则变更影响分析：防返贫监测规则</title>"))
        XCTAssertTrue(html.contains("size: A4"), "the report's stylesheet")
        XCTAssertTrue(html.contains("<td>defaults.monitoringLineFen.2025</td>"), "the threshold that differs")
        XCTAssertTrue(html.contains("<td>1000000</td>"))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 1, "one chart: the change by county")

        // Every county line of the CSV is in the page with the same numbers, and one bar each.
        let counties = try csv(out + "/规则差异-按县.csv").dropFirst()
        XCTAssertFalse(counties.isEmpty, "a 10,000-yuan line must change something in the demo province")
        var added = 0
        for c in counties {
            let cells = "<td>\(c[0])</td><td>\(c[1])</td>" + c[2...].map { "<td class=\"n\">\($0)</td>" }.joined()
            XCTAssertTrue(html.contains(cells), "county row \(c)")
            XCTAssertTrue(html.contains(">\(c[0]) \(c[1])</text>"), "county \(c[0]) in the chart")
            added += Int(c[2])!
        }
        // The decision-type table's total line adds up to the case list.
        let cases = try csv(out + "/规则差异-明细.csv").dropFirst()
        XCTAssertEqual(cases.filter { $0[0] == "新增" }.count, added)
        XCTAssertTrue(html.contains("<td>合计</td><td class=\"n\">\(added)</td>"), "total of 新增 by decision type")

        // Chromium parses it: the chart's bars and the tables are in the DOM it built, and it paints.
        let dom = try HeadlessChromium.dom(page)
        XCTAssertTrue(dom.contains("<svg"), "SVG parsed")
        XCTAssertGreaterThanOrEqual(dom.components(separatedBy: "<rect").count - 1, counties.count + 3)
        XCTAssertTrue(dom.contains("defaults.monitoringLineFen.2025"))
        try HeadlessChromium.screenshot(page, to: out + "/规则差异.png", minimumBytes: 20_000)
    }

    /// The shipped risk document (Services/rules/risk.json in the source tree) with another 2025 line,
    /// from 2025-01-01.
    private func riskDocument(line2025: Int, version: String) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Services/rules/risk.json")
        let doc = try String(contentsOf: source, encoding: .utf8)
        let v = try JSONValue.parse(doc)
        let old = try XCTUnwrap(v["defaults"]?["monitoringLineFen"]?["2025"]?.intValue)
        let from = try XCTUnwrap(v["effectiveFrom"]?.stringValue)
        let version0 = try XCTUnwrap(v["version"]?.stringValue)
        return doc.replacingOccurrences(of: "\"2025\": \(old)", with: "\"2025\": \(line2025)")
            .replacingOccurrences(of: "\"effectiveFrom\": \"\(from)\"", with: "\"effectiveFrom\": \"2025-01-01\"")
            .replacingOccurrences(of: "\"version\": \"\(version0)\"", with: "\"version\": \"\(version)\"")
    }

    // MARK: recipients diff

    /// Routed notifications in the notifier's log (generic JSON parse): recipient, source type,
    /// household.
    private func notifications() throws -> [(recipient: String, type: String, household: String)] {
        let log = try EventLog(path: data + "/notify.log.sqlite", stream: nil, readOnly: true)
        var out: [(String, String, String)] = []
        try log.forEach { e in
            guard e.type == "NotificationCreated", let p = try? JSONValue.parse(e.payload),
                p["kind"]?.stringValue == "notification"
            else { return }
            out.append((p["recipient"]!.stringValue!, p["sourceType"]!.stringValue!, p["householdID"]!.stringValue!))
        }
        return out
    }

    /// The directory the notifier has in force (its last `DirectoryActivated`), as JSON.
    private func directoryInForce() throws -> JSONValue {
        let log = try EventLog(path: data + "/notify.log.sqlite", stream: nil, readOnly: true)
        var document: String?
        try log.forEach { e in
            if e.type == "DirectoryActivated" { document = try? JSONValue.parse(e.payload)["document"]?.stringValue }
        }
        return try JSONValue.parse(try XCTUnwrap(document, "no DirectoryActivated in the notifier's log"))
    }

    func testRecipientsDiffNamesWhoStartsAndStopsReceivingWhat() throws {
        let sent = try notifications()
        // The county office with the most gap notifications stops receiving gaps; a new office for the
        // same county receives only gaps.
        let gaps = Dictionary(grouping: sent.filter { $0.type == "EntitlementGap" }, by: \.recipient)
        let (office, itsGaps) = try XCTUnwrap(
            gaps.filter { $0.key.range(of: #"^[0-9]{6}-office$"#, options: .regularExpression) != nil }
                .max { ($0.value.count, $1.key) < ($1.value.count, $0.key) })
        XCTAssertFalse(itsGaps.isEmpty)
        let county = String(office.prefix(6))
        guard case .object(var root) = try directoryInForce(),
            case .array(var list)? = root.first(where: { $0.0 == "recipients" })?.1
        else { return XCTFail("directory shape") }
        for i in list.indices {
            guard case .object(var fields) = list[i], fields.first(where: { $0.0 == "id" })?.1.stringValue == office
            else { continue }
            let types = fields.first { $0.0 == "types" }?.1.arrayValue ?? []
            fields.removeAll { $0.0 == "types" }
            fields.append(("types", .array(types.filter { $0.stringValue != "EntitlementGap" })))
            list[i] = .object(fields)
        }
        list.append(
            .object([
                ("id", .string("\(county)-office2")), ("name", .string("新设残联工作站")), ("kind", .string("office")),
                ("level", .string("county")), ("region", .string(county)),
                ("publicKey", .string(String(repeating: "0", count: 39) + "1")),
                ("types", .array([.string("EntitlementGap")])),
                ("channels", .array([.object([("type", .string("outbox"))])])),
            ]))
        root.removeAll { $0.0 == "recipients" || $0.0 == "version" }
        root.append(("version", .string("dir-proposed")))
        root.append(("recipients", .array(list)))
        let file = try write(JSONValue.object(root).jsonString, "recipients-proposed.json")
        let out = Self.root + "/recipients-diff"
        let (status, output) = try ServiceProcess.gonggu(["recipients", "diff", file, "--logs", data, "--out", out])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("开始接收 \(itsGaps.count) 条，停止接收 \(itsGaps.count) 条，涉及 2 个单位"), output)
        XCTAssertTrue(output.contains("\(office) 接收的通知种类："), output)
        XCTAssertTrue(output.contains("\(county)-office2 新增单位："), output)

        // The case list: exactly the office's gap notifications stop, and the same households' start
        // for the new office; nothing else.
        let rows = try csv(out + "/接收变化-明细.csv")
        XCTAssertEqual(rows[0].prefix(5), ["变化", "单位编号", "单位名称", "通知种类", "事件类型"])
        let stopped = rows.dropFirst().filter { $0[0] == "停止接收" }
        let started = rows.dropFirst().filter { $0[0] == "开始接收" }
        XCTAssertEqual(rows.count - 1, stopped.count + started.count)
        XCTAssertEqual(Set(stopped.map { $0[1] }), [office])
        XCTAssertEqual(Set(started.map { $0[1] }), ["\(county)-office2"])
        XCTAssertEqual(Set((stopped + started).map { $0[4] }), ["EntitlementGap"])
        XCTAssertEqual(stopped.map { $0[8] }.sorted(), itsGaps.map(\.household).sorted())
        XCTAssertEqual(started.map { $0[8] }.sorted(), itsGaps.map(\.household).sorted())
        // By recipient, kind and county: two lines.
        let summary = try csv(out + "/接收变化-按单位.csv").dropFirst()
        XCTAssertEqual(
            summary.map { [$0[0], $0[2], $0[3], $0[5], $0[6]] }.sorted { $0[0] < $1[0] },
            [
                [office, "应享未享", county, "0", "\(itsGaps.count)"],
                ["\(county)-office2", "应享未享", county, "\(itsGaps.count)", "0"],
            ])
        let page = out + "/接收变化.html"
        let html = try String(contentsOfFile: page, encoding: .utf8)
        assertSelfContained(html)
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 1)
        XCTAssertTrue(try HeadlessChromium.dom(page).contains("<svg"))

        // The directory in force, unchanged but for its version: no notification starts or stops.
        guard case .object(var same) = try directoryInForce() else { return XCTFail("directory shape") }
        same.removeAll { $0.0 == "version" }
        same.append(("version", .string("same-again")))
        let sameFile = try write(JSONValue.object(same).jsonString, "recipients-same.json")
        let (s2, o2) = try ServiceProcess.gonggu(["recipients", "diff", sameFile, "--logs", data])
        XCTAssertEqual(s2, 0, o2)
        XCTAssertTrue(o2.contains("结论：拟启用的目录不改变任何单位收到的通知"), o2)

        // A broken directory is refused with 65 before anything is replayed.
        let broken = try write("{\"version\": \"x\", \"recipients\": [{\"id\": \"a\"}]}", "recipients-broken.json")
        let (s3, o3) = try ServiceProcess.gonggu(["recipients", "diff", broken, "--logs", data])
        XCTAssertEqual(s3, 65, o3)
        XCTAssertTrue(o3.contains("接收单位目录缺少"), o3)
    }
}
