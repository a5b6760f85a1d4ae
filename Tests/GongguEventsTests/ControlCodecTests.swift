import GongguCore
import GongguEvents
import XCTest

/// Control payloads (own inputs and cursors every service writes): the wire form the hand-written
/// codecs wrote before the move, key for key, with their absent-key policy.
final class ControlCodecTests: XCTestCase {
    func text<P: EventPayload>(_ p: P) -> String { String(decoding: p.jsonBytes, as: UTF8.self) }
    func read<P: EventPayload>(_ json: String, as: P.Type) throws -> P {
        try JSONReader.read(json) { try P(json: &$0) }
    }

    func testClockTickedNeedsItsDate() throws {
        XCTAssertEqual(text(ClockTicked(date: "2025-03-01")), #"{"date":"2025-03-01"}"#)
        XCTAssertEqual(try read(#"{"x":1,"date":"d"}"#, as: ClockTicked.self), ClockTicked(date: "d"))
        XCTAssertThrowsError(try read("{}", as: ClockTicked.self)) {
            XCTAssertEqual($0 as? EventDecodingError, .missingField(type: "ClockTicked", field: "date"))
        }
    }

    func testRulesActivatedCarriesTheDocumentAndItsDigest() throws {
        let r = RulesActivated(ruleSet: "risk", version: "v2", effectiveFrom: "2025-01-01", document: "{}")
        XCTAssertEqual(r.sha256, SHA256.hash("{}").hexString)
        XCTAssertEqual(
            text(r),
            #"{"ruleSet":"risk","version":"v2","effectiveFrom":"2025-01-01","sha256":"\#(r.sha256)","document":"{}"}"#)
        XCTAssertEqual(try read(text(r), as: RulesActivated.self), r)
        // Every key may be absent; the stored digest is read as it is, never recomputed.
        let bare = try read(#"{"document":"{}"}"#, as: RulesActivated.self)
        XCTAssertEqual(
            [bare.ruleSet, bare.version, bare.effectiveFrom, bare.sha256, bare.document], ["", "", "", "", "{}"])
    }

    func testInputConsumedWritesItsHashOnlyWhenKnown() throws {
        let hash = [UInt8](repeating: 0xab, count: 32)
        let m = InputConsumed(stream: "intake", after: 3, through: 9, throughHash: hash)
        XCTAssertEqual(text(m), #"{"stream":"intake","after":3,"through":9,"throughHash":"\#(hash.hexString)"}"#)
        XCTAssertEqual(try read(text(m), as: InputConsumed.self), m)
        XCTAssertEqual(text(InputConsumed(stream: "s", after: 0, through: 1)), #"{"stream":"s","after":0,"through":1}"#)
        XCTAssertEqual(try read("{}", as: InputConsumed.self), InputConsumed(stream: "", after: 0, through: 0))
        XCTAssertThrowsError(try read(#"{"stream":"s","throughHash":"abcd"}"#, as: InputConsumed.self)) {
            XCTAssertEqual($0 as? EventDecodingError, .invalidValue(type: "InputConsumed", field: "throughHash"))
        }
        // Version 1 markers (no hash) are read as version 2; version 3 is refused.
        let v1 = Array(#"{"stream":"s","after":1,"through":2}"#.utf8)
        XCTAssertEqual(try InputConsumed.decode(v1, version: 1), InputConsumed(stream: "s", after: 1, through: 2))
        XCTAssertThrowsError(try InputConsumed.decode(v1, version: 3))
        XCTAssertEqual(InputConsumed.schemaVersion, 2)
    }

    func testCommandAcceptedAndSyntheticRecordedRoundTrip() throws {
        let c = CommandAccepted(command: "TICK", by: "uid:0(root)", channel: "ipc", detail: "2025-03-01")
        XCTAssertEqual(text(c), #"{"command":"TICK","by":"uid:0(root)","channel":"ipc","detail":"2025-03-01"}"#)
        XCTAssertEqual(try read(text(c), as: CommandAccepted.self), c)
        XCTAssertEqual(
            try read("{}", as: CommandAccepted.self), CommandAccepted(command: "", by: "", channel: "", detail: ""))
        let s = SyntheticRecorded(n: 7, filler: "xx")
        XCTAssertEqual(text(s), #"{"n":7,"filler":"xx"}"#)
        XCTAssertEqual(try read(text(s), as: SyntheticRecorded.self), s)
        XCTAssertEqual(try read("{}", as: SyntheticRecorded.self), SyntheticRecorded(n: 0, filler: ""))
    }
}
