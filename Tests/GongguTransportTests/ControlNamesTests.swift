@testable import GongguTransport
import XCTest

/// Typed names for control commands and reply codes changed no string on the wire.
final class ControlNamesTests: XCTestCase {
    func testCommandsKeepTheirWireStrings() {
        let named: [(ControlCommand, String)] = [
            (.ping, "PING"), (.status, "STATUS"), (.reload, "RELOAD"), (.replay, "REPLAY"), (.snapshot, "SNAPSHOT"),
            (.digest, "DIGEST"), (.rules, "RULES"), (.rulesShow, "RULES_SHOW"), (.continuity, "CONTINUITY"),
            (.pending, "PENDING"), (.overdue, "OVERDUE"), (.receiptCheck, "RECEIPT_CHECK"),
            (.importBegin, "IMPORT_BEGIN"), (.importChunk, "IMPORT_CHUNK"), (.importEnd, "IMPORT_END"), (.tick, "TICK"),
            (.submit, "SUBMIT"), (.append, "APPEND"),
        ]
        for (command, wire) in named { XCTAssertEqual(command.rawValue, wire) }
        let request = CommandRequest(command: "IMPORT_BEGIN", body: [], extra: [], peer: nil)
        XCTAssertEqual(request.name, ControlCommand.importBegin)
    }

    func testErrorRepliesKeepTheirCodes() throws {
        let named: [(ReplyCode, String)] = [
            (.badRequest, "bad_request"), (.busy, "busy"), (.unavailable, "unavailable"),
            (.unknownSession, "unknown_session"), (.unknownCommand, "unknown_command"), (.tooMany, "too_many"),
            (.tooLarge, "too_large"), (.invalidRules, "invalid_rules"), (.internalError, "internal"),
            (.badKind, "bad_kind"), (.workbook, "workbook"), (.unsupported, "unsupported"),
            (.unauthorised, "unauthorised"), (.starting, "starting"), (.malformed, "malformed"),
            (.kindNotAllowed, "kind_not_allowed"), (.badFormat, "bad_format"), (.badEncoding, "bad_encoding"),
        ]
        for (code, wire) in named { XCTAssertEqual(code.rawValue, wire) }
        let reply = CommandReply.error(.badRequest, "needs a body")
        XCTAssertEqual(reply.status, "ERROR")
        XCTAssertEqual(String(decoding: reply.body, as: UTF8.self), #"{"code":"bad_request","message":"needs a body"}"#)
    }
}
