import Foundation
import GongguCore
import GongguRuntime
import GongguServices
import GongguTransport
import XCTest

/// A workbook through the submission endpoint — `SUBMIT {"kind", "format": "xlsx"}` with
/// the workbook (written by openpyxl, `Services/gonggu-intake/Tests/Fixtures/xlsx`) as the next frame —
/// gives the same per-record outcomes as `gonggu import`; a damaged workbook is refused whole.
final class WorkbookSubmissionTests: PipelineTestCase {
    func workbook(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Services/gonggu-intake/Tests/Fixtures/xlsx/\(name)")
        return Array(try Data(contentsOf: url))
    }

    func testWorkbookSubmission() throws {
        let l = try makeLauncher(recipients: [])
        l.submissionClients = [("office-22", ["member"], "22")]
        try l.prepare()
        try l.start("intake")
        try l.waitReady("intake")
        let app = CommandClient(
            stream: "intake", endpoint: l.submissionEndpoint, timeoutMs: 5000,
            curve: (try KeyFiles.readPair(l.keyFile("office-22")), try KeyFiles.readPublic(l.publicKeyFile("intake"))))
        defer { app.close() }
        let book = try workbook("member1904.xlsx")
        let header = Array("{\"kind\":\"member\",\"format\":\"xlsx\"}".utf8)

        var reply = try app.call("SUBMIT", body: header, extra: [book])
        XCTAssertEqual(reply.status, "OK", String(decoding: reply.body, as: UTF8.self))
        var body = try JSONValue.parse(reply.body)
        XCTAssertEqual(body["read"]?.intValue, 3)
        XCTAssertEqual(body["accepted"]?.intValue, 2)
        XCTAssertEqual(body["rejected"]?.intValue, 1)
        let bad = body["results"]?.arrayValue?[1]
        XCTAssertEqual(bad?["outcome"]?.stringValue, "rejected")
        XCTAssertEqual(bad?["field"]?.stringValue, "区划代码")
        XCTAssertTrue(
            bad?["reason"]?.stringValue?.hasPrefix("工作表“Sheet1”第3行「区划代码」（单元格C3）：") ?? false,
            "\(String(describing: bad))")
        // The same workbook again: duplicates, nothing new.
        reply = try app.call("SUBMIT", body: header, extra: [book])
        body = try JSONValue.parse(reply.body)
        XCTAssertEqual(body["duplicate"]?.intValue, 2)
        XCTAssertEqual(body["accepted"]?.intValue, 0)

        // A sheet that is not there, and a workbook cut short: refused whole, with intake's reason.
        reply = try app.call("SUBMIT", body: Array("{\"kind\":\"member\",\"format\":\"xlsx\",\"sheet\":\"汇总\"}".utf8), extra: [book])
        XCTAssertEqual(reply.status, "ERROR")
        body = try JSONValue.parse(reply.body)
        XCTAssertEqual(body["code"]?.stringValue, "workbook")
        XCTAssertTrue(body["message"]?.stringValue?.contains("汇总") ?? false, "\(body)")
        reply = try app.call("SUBMIT", body: header, extra: [Array(book.prefix(book.count / 2))])
        XCTAssertEqual(try JSONValue.parse(reply.body)["code"]?.stringValue, "workbook")
        // A workbook frame without "format": "xlsx" is malformed.
        reply = try app.call("SUBMIT", body: Array("{\"kind\":\"member\"}".utf8), extra: [book])
        XCTAssertEqual(try JSONValue.parse(reply.body)["code"]?.stringValue, "malformed")
    }
}
