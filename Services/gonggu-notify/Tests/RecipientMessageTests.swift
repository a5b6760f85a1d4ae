import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

final class RecipientMessageTests: XCTestCase {
    func testRoundTrips() throws {
        let notification = NotificationCreated(
            notificationID: "0123456789abcdef0123456789abcdef", recipient: "220102-bureau",
            kind: NotificationCreated.escalation, sourceEventID: "fedcba9876543210fedcba9876543210",
            sourceType: "NotificationEscalated", region: "220102001001", householdID: "H-1",
            title: "【督办】逾期未确认", summary: "内容，含\"引号\"与\n换行", created: "2025-03-09",
            escalationOf: "00000000000000000000000000000001", findingID: "gap|220102199001011234|nursing",
            sourcePayload: #"{"a":[1,2,{"b":"乙"}],"c":null}"#)
        let messages: [RecipientMessage] = [
            .hello,
            .ping,
            .pong,
            .notification(notification),
            .ack(id: "0123456789abcdef0123456789abcdef"),
            .acks(["0123456789abcdef0123456789abcdef", "x1", "0123456789abcdef0123456789abcdef"]),
            .acks((0..<RecipientMessage.maxAckIDs).map { _ in EventID.random().description }),
            .decision(WireDecision(inReplyTo: "0123456789abcdef0123456789abcdef", household: "H-1",
                                   decision: .inclusionConfirmed, date: "2025-03-05", measure: "低保",
                                   householdType: .monitoredMarginal, note: "已公示")),
            .decision(WireDecision(inReplyTo: nil, household: "H-2", decision: .riskEliminated, date: "2025-03-05")),
            .error(code: "outside_jurisdiction", message: "不属于本辖区"),
        ]
        for m in messages {
            XCTAssertEqual(try RecipientMessage.decode(m.encoded(), maxBytes: RecipientMessage.maxNotificationBytes), m)
        }
    }

    func testWireShapeMatchesTheProtocol() {
        XCTAssertEqual(RecipientMessage.ack(id: "x1").jsonText, #"{"type":"ack","id":"x1"}"#)
        XCTAssertEqual(RecipientMessage.acks(["x1", "x2"]).jsonText, #"{"type":"ack","ids":["x1","x2"]}"#)
        // The most ids one message may carry fit within the inbound size limit.
        let fullest = RecipientMessage.acks(Array(repeating: String(repeating: "f", count: 32), count: RecipientMessage.maxAckIDs))
        XCTAssertLessThanOrEqual(fullest.encoded().count, RecipientMessage.maxInboundBytes)
        XCTAssertEqual(
            RecipientMessage.decision(WireDecision(inReplyTo: "n1", household: "H", decision: .measureTaken,
                                                   date: "2025-01-02", measure: "产业帮扶")).jsonText,
            #"{"type":"decision","inReplyTo":"n1","household":"H","decision":"measureTaken","date":"2025-01-02","#
                + #""measure":"产业帮扶"}"#)
        XCTAssertEqual(
            RecipientMessage.error(DecisionRefusal(.duplicate, "重复")).jsonText,
            #"{"type":"error","code":"duplicate","message":"重复"}"#)
        let n = NotificationCreated(
            notificationID: "n1", recipient: "r", sourceEventID: "s1", sourceType: "RiskFeedback",
            region: "220102001001",
            householdID: "H", title: "t", summary: "s", created: "2025-01-02", sourcePayload: #"{"x":1}"#)
        XCTAssertEqual(
            RecipientMessage.notification(n).jsonText,
            #"{"type":"notification","id":"n1","recipient":"r","kind":"notification","eventType":"RiskFeedback","#
                + #""sourceEvent":"s1","region":"220102001001","household":"H","title":"t","summary":"s","#
                + #""created":"2025-01-02","source":{"x":1}}"#)
    }

    func testDecisionBecomesTheAuthenticatedSubmission() {
        let d = WireDecision(
            inReplyTo: "n1", household: "H", decision: .inclusionDeclined, date: "2025-01-02", note: "n")
        let s = d.submission(recipient: "220102-bureau")
        XCTAssertEqual(s.recipient, "220102-bureau")
        XCTAssertEqual(s.householdID, "H")
        XCTAssertEqual(s.inReplyTo, "n1")
        XCTAssertEqual(s.note, "n")
    }

    /// The codes docs/PROTOCOL.md promises. `hello` is a message like the others (only
    /// `type`; anything else is `unknown_field`), and a decision `date` that is a string but no real
    /// `YYYY-MM-DD` date is `invalid_date` (a date that is no string stays `invalid_field`).
    func testHelloIsStrictAndABadDecisionDateIsInvalidDate() throws {
        func decision(_ date: String) -> String {
            #"{"type":"decision","household":"H","decision":"measureTaken","date":"# + date + "}"
        }
        // nil: accepted.
        let cases: [(String, String, String?, String?)] = [
            ("hello", #"{"type":"hello"}"#, nil, nil),
            ("hello, spaced", #"{ "type" : "hello" }"#, nil, nil),
            ("hello with an id", #"{"type":"hello","id":"x"}"#, "unknown_field", "id"),
            ("hello with a recipient", #"{"type":"hello","recipient":"220102-bureau"}"#, "unknown_field", "recipient"),
            ("hello with a typo", #"{"type":"hello","verison":1}"#, "unknown_field", "verison"),
            ("hello twice", #"{"type":"hello","type":"hello"}"#, "duplicate_field", "type"),
            ("real date", decision(#""2024-02-29""#), nil, nil),
            ("month 13", decision(#""2025-13-01""#), "invalid_date", "date"),
            ("30 February", decision(#""2025-02-30""#), "invalid_date", "date"),
            ("29 February, no leap year", decision(#""2025-02-29""#), "invalid_date", "date"),
            ("no zero padding", decision(#""2025-3-5""#), "invalid_date", "date"),
            ("no dashes", decision(#""20250305""#), "invalid_date", "date"),
            ("date and time", decision(#""2025-03-05T10:00:00""#), "invalid_date", "date"),
            ("words", decision(#""昨天""#), "invalid_date", "date"),
            ("number", decision("20250305"), "invalid_field", "date"),
            ("empty", decision(#""""#), "invalid_date", "date"),
        ]
        for (name, text, code, field) in cases {
            do {
                let m = try RecipientMessage.decode(text)
                XCTAssertNil(code, "\(name): accepted, expected \(code ?? "")")
                XCTAssertEqual(try RecipientMessage.decode(m.encoded()), m, "\(name): round trip")
                if name.hasPrefix("hello") { XCTAssertEqual(m.jsonText, #"{"type":"hello"}"#, name) }
            } catch let e as WireError {
                XCTAssertEqual(e.code, code, name)
                XCTAssertEqual(e.field, field, name)
                guard case let .error(c, message) = RecipientMessage.error(e) else { return XCTFail(name) }
                XCTAssertEqual(c, code, name)
                XCTAssertFalse(message.unicodeScalars.allSatisfy(\.isASCII), "\(name): Chinese message")
            }
        }
    }

    /// Table: malformed input → a stable error code (and field), never a crash.
    func testMalformedInputIsRefusedWithClearErrors() {
        let cases: [(String, [UInt8], WireError.Code, String?)] = [
            ("too large", Array(("{\"type\":\"ack\",\"id\":\"" + String(repeating: "a", count: 20_000) + "\"}").utf8),
             .tooLarge, nil),
            ("not utf8", [0x7B, 0x22, 0xFF, 0x22, 0x7D], .notUTF8, nil),
            ("truncated", Array(#"{"type":"ack","id":"#.utf8), .malformedJSON, nil),
            ("trailing", Array(#"{"type":"ack","id":"a"} x"#.utf8), .malformedJSON, nil),
            ("array", Array("[1,2]".utf8), .notObject, nil),
            ("string", Array(#""ack""#.utf8), .notObject, nil),
            ("empty", [], .malformedJSON, nil),
            ("no type", Array(#"{"id":"a"}"#.utf8), .missingField, "type"),
            ("type not string", Array(#"{"type":1,"id":"a"}"#.utf8), .invalidField, "type"),
            ("unknown type", Array(#"{"type":"goodbye"}"#.utf8), .unknownType, nil),
            ("duplicate", Array(#"{"type":"ack","id":"a","id":"b"}"#.utf8), .duplicateField, "id"),
            ("extra field", Array(#"{"type":"ack","id":"a","recipient":"x"}"#.utf8), .unknownField, "recipient"),
            ("ack without id", Array(#"{"type":"ack"}"#.utf8), .missingField, "id"),
            ("ack empty id", Array(#"{"type":"ack","id":""}"#.utf8), .invalidField, "id"),
            ("ack id number", Array(#"{"type":"ack","id":5}"#.utf8), .invalidField, "id"),
            ("ack id with space", Array(#"{"type":"ack","id":"a b"}"#.utf8), .invalidField, "id"),
            ("acks and id", Array(#"{"type":"ack","id":"a","ids":["b"]}"#.utf8), .invalidField, "ids"),
            ("acks empty", Array(#"{"type":"ack","ids":[]}"#.utf8), .invalidField, "ids"),
            ("acks not array", Array(#"{"type":"ack","ids":"a"}"#.utf8), .invalidField, "ids"),
            ("acks number", Array(#"{"type":"ack","ids":["a",5]}"#.utf8), .invalidField, "ids"),
            ("acks empty id", Array(#"{"type":"ack","ids":["a",""]}"#.utf8), .invalidField, "ids"),
            ("acks id with space", Array(#"{"type":"ack","ids":["a b"]}"#.utf8), .invalidField, "ids"),
            ("acks too many",
             Array(("{\"type\":\"ack\",\"ids\":[" + Array(repeating: "\"a\"", count: RecipientMessage.maxAckIDs + 1)
                 .joined(separator: ",") + "]}").utf8), .invalidField, "ids"),
            ("decision kind",
             Array(#"{"type":"decision","household":"H","decision":"maybe","date":"2025-01-02"}"#.utf8),
             .invalidField, "decision"),
            ("decision date",
             Array(#"{"type":"decision","household":"H","decision":"measureTaken","date":"2025-13-01"}"#.utf8),
             .invalidDate, "date"),
            ("decision no household", Array(#"{"type":"decision","decision":"measureTaken","date":"2025-01-02"}"#.utf8),
             .missingField, "household"),
            ("decision long measure",
             Array(("{\"type\":\"decision\",\"household\":\"H\",\"decision\":\"measureTaken\",\"date\":\"2025-01-02\","
                 + "\"measure\":\"" + String(repeating: "措", count: 201) + "\"}").utf8), .invalidField, "measure"),
            ("notification source not object",
             Array(#"{"type":"notification","id":"n","source":[1]}"#.utf8), .invalidField, "source"),
            ("deep nesting", Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8),
             .notObject, nil),
            ("deep nesting in object",
             Array(("{\"type\":\"ack\",\"id\":\"a\",\"x\":" + String(repeating: "[", count: 100)
                 + String(repeating: "]", count: 100) + "}").utf8), .malformedJSON, nil),
        ]
        for (name, bytes, code, field) in cases {
            XCTAssertThrowsError(try RecipientMessage.decode(bytes), name) { error in
                guard let e = error as? WireError else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(e.kind, code, name)
                if let field { XCTAssertEqual(e.field, field, name) }
                guard case let .error(c, message) = RecipientMessage.error(e) else { return XCTFail(name) }
                XCTAssertEqual(c, code.rawValue, name)
                XCTAssertFalse(message.isEmpty, name)
                XCTAssertFalse(message.unicodeScalars.allSatisfy(\.isASCII), "\(name): Chinese message")
            }
        }
    }
}

/// The heartbeat (PROTOCOL.md §1.2a): `{"type":"ping"}` and `{"type":"pong"}`, nothing more.
final class HeartbeatMessageTests: XCTestCase {
    func testPingAndPongAreStrict() throws {
        XCTAssertEqual(String(decoding: RecipientMessage.ping.encoded(), as: UTF8.self), #"{"type":"ping"}"#)
        XCTAssertEqual(String(decoding: RecipientMessage.pong.encoded(), as: UTF8.self), #"{"type":"pong"}"#)
        XCTAssertEqual(try RecipientMessage.decode(Array(#"{"type":"ping"}"#.utf8)), .ping)
        XCTAssertThrowsError(try RecipientMessage.decode(Array(#"{"type":"ping","at":1}"#.utf8))) { error in
            XCTAssertEqual((error as? WireError)?.code, "unknown_field")
        }
    }
}

/// Open notifications by recipient level (the notifier's metrics).
final class LevelCountsTests: XCTestCase {
    func testEmptyFoldHasEveryLevelAtZero() {
        let counts = NotifyFold().countsByLevel
        XCTAssertEqual(Set(counts.keys), Set(RecipientLevel.allCases))
        XCTAssertTrue(counts.values.allSatisfy { $0 == LevelCounts() })
    }
}

extension LevelCountsTests {
    /// Per level, what the per-recipient queries say (`pending(for:)`, `overdue(for:)`, `status(of:)`),
    /// before and after a tick that makes every open notification overdue and escalates them; and the
    /// one-pass overdue total is `overdueCount`.
    func testCountsByLevelAgreeWithThePerRecipientQueries() throws {
        var (script, fold, _) = threeRoutedSources()
        for day in [day0, day0 + 3, day0 + 6] {
            if day != day0 { for e in [script.tick(day)] { _ = fold.apply(e) } }
            var expected: [RecipientLevel: LevelCounts] = [:]
            for level in RecipientLevel.allCases { expected[level] = LevelCounts() }
            for r in standardRecipients {
                let level = try XCTUnwrap(RecipientLevel(rawValue: r.level))
                let pending = fold.pending(for: r.id)
                expected[level]!.pending += pending.count
                expected[level]!.overdue += fold.overdue(for: r.id).count
                expected[level]!.escalated += pending.filter { fold.status(of: $0.notificationID)?.escalated ?? false }.count
            }
            XCTAssertEqual(fold.countsByLevel, expected, "day \(day)")
            XCTAssertEqual(fold.openCounts.overdue, fold.overdueCount, "day \(day)")
            if day == day0 + 6 {
                XCTAssertGreaterThan(expected.values.map(\.overdue).reduce(0, +), 0)
                XCTAssertGreaterThan(expected.values.map(\.escalated).reduce(0, +), 0)
            }
        }
    }
}
