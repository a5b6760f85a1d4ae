import GongguCore
import GongguReport
import XCTest

/// The files of a report: CSV for Excel, case lists adding up to the tables, a self-contained page.
final class RenderTests: XCTestCase {
    let data = Scenario.build().data()

    func file(_ name: String) throws -> [UInt8] {
        try XCTUnwrap(ReportRenderer.files(data).first { $0.name == name }, name).bytes
    }

    func csv(_ name: String) throws -> [[String]] {
        let bytes = try file(name)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "\(name): BOM")
        return String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            .filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
    }

    func testEveryIndicatorHasACaseListAddingUpToItsNumber() throws {
        for i in Indicator.all {
            let rows = try csv("明细-\(i.id).csv")
            XCTAssertEqual(rows[0], ["指标", "单位", "区划代码", "户编号", "身份证号（脱敏）", "日期", "天数", "说明", "事件编号"])
            XCTAssertEqual(rows.count - 1, data.count(i, ""), i.id)
            for r in rows.dropFirst() {
                XCTAssertEqual(r[0], i.label)
                XCTAssertTrue(r[4].isEmpty || r[4].contains("********"), "masked: \(r[4])")
            }
        }
    }

    func testTablesShowTheNumbers() throws {
        let t1 = try csv("表1-帮扶措施保持延续.csv")
        XCTAssertEqual(t1[0], ["区划代码", "地区", "脱贫残疾人家庭（户）", "年初在享主要帮扶措施（户）", "全部延续（户）",
                               "中断（户）", "保持延续率", "年初无在享主要帮扶措施（户）"])
        // H1, H2, H3, H6 left poverty; H3 had no main measure on 1 January: its own line, not in the rate (2/3).
        XCTAssertEqual(t1[1], ["—", "全部地区", "4", "3", "2", "1", "66.7%", "1"])
        XCTAssertEqual(t1.map { $0[0] }, ["区划代码", "—", "2201", "220101", "2202", "220201"])
        let t9 = try csv("表9-响应时间分布.csv")
        XCTAssertEqual(t9.last, ["尚未响应", "1", "1"])
        let t0 = try csv("表0-数据来源.csv")
        XCTAssertEqual(t0.count, 5)
        XCTAssertEqual(t0[1][3], String(repeating: "ab", count: 32))
    }

    func testPageIsSelfContained() throws {
        let html = String(decoding: try file(ReportRenderer.pageName), as: UTF8.self)
        for forbidden in ["<script", "http:", "https:", "src=", "<link", "url(", "<img"] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        XCTAssertTrue(html.contains("<th>年初无在享主要帮扶措施（户）</th>"), "the own line of table 1")
        XCTAssertTrue(html.contains("<div class=\"v\">66.7%</div><div class=\"l\">主要帮扶措施保持延续率</div>"),
                      "the rate over households with a measure at the start")
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 4)
        XCTAssertEqual(html.components(separatedBy: "</svg>").count - 1, 4)
        XCTAssertTrue(html.contains("size: A4"))
        XCTAssertTrue(html.contains("break-inside: avoid"))
        XCTAssertTrue(html.contains("66.7%"))
        // Text from the data is escaped.
        XCTAssertFalse(html.contains("<t>"))
    }

    func testSameDataSameBytes() {
        let a = ReportRenderer.files(data), b = ReportRenderer.files(Scenario.build().data())
        XCTAssertEqual(a, b)
    }

    func testRatesNeverRoundAShortfallAway() throws {
        // Shown through table 1: a region with 9,601 of 9,605 continued must not read 100.0%.
        var book = CaseBook()
        for i in 0..<9605 {
            let c = Case(
                region: "220101001001", householdID: "H\(i)", events: [EventID.derived("e\(i)")], date: "2025-01-01")
            book.add(.lifted, c)
            book.add(.measureAtStart, c)
            if i >= 4 { book.add(.continued, c) }
        }
        book.seal()
        let d = ReportData(period: ReportPeriod(year: 2025), regionPrefix: "", cuts: [], rule: .bySeq, book: book,
                           names: RegionNames())
        let t1 = ReportRenderer.tables(d).first { $0.file == "表1-帮扶措施保持延续.csv" }!
        XCTAssertEqual(t1.rows[0].suffix(3), ["0", "99.9%", "0"], "4 discontinued of 9,605")
    }

    func testRegionNamesFile() {
        let names = RegionNames(csv: "\u{FEFF}代码,名称\r\n220101,南关区\n bad,x\n220201 , 昌邑区 \n")
        XCTAssertEqual(names.name("220101"), "南关区")
        XCTAssertEqual(names.name("220201"), "昌邑区")
        XCTAssertEqual(names.name("2201"), "长春市", "built in")
        XCTAssertEqual(names.name("229999"), "229999")
    }
}
