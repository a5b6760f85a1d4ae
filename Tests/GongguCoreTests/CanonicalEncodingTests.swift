import XCTest

@testable import GongguCore

final class CanonicalEncodingTests: XCTestCase {
    static let event = Event(
        seq: 42, id: EventID(high: 0x0102_0304_0506_0708, low: 0x1112_1314_1516_1718), type: "SubsidyPaid", version: 3,
        subject: "HH-中", region: "220102001001", occurredAt: -5, recordedAt: 1_767_225_600_000,
        causation: .derived("cause"), correlation: nil, payload: Array(#"{"amount":12000}"#.utf8))

    func testRoundTrip() throws {
        let bytes = CanonicalEncoding.encode(Self.event)
        XCTAssertEqual(try CanonicalEncoding.decode(bytes), Self.event)
        XCTAssertEqual(bytes.count, 8 + 16 + 2 + 11 + 4 + 2 + 6 + 2 + 12 + 8 + 8 + 16 + 16 + 4 + 16)
        XCTAssertEqual(Array(bytes.prefix(8)), [0, 0, 0, 0, 0, 0, 0, 42])
    }

    func testEveryTruncationIsAnError() {
        let bytes = CanonicalEncoding.encode(Self.event)
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try CanonicalEncoding.decode(Array(bytes.prefix(n)))) { error in
                XCTAssertEqual(error as? WireFormatError, WireFormatError("truncated"), "prefix \(n)")
            }
        }
        XCTAssertThrowsError(try CanonicalEncoding.decode(bytes + [0])) {
            XCTAssertEqual($0 as? WireFormatError, WireFormatError("trailing bytes after event"))
        }
    }

    func testOversizedPayloadLengthIsRefused() {
        var bytes = CanonicalEncoding.encode(Self.event)
        let at = bytes.count - Self.event.payload.count - 4
        bytes.replaceSubrange(at..<(at + 4), with: [0x7f, 0xff, 0xff, 0xff])
        XCTAssertThrowsError(try CanonicalEncoding.decode(bytes)) {
            XCTAssertEqual($0 as? WireFormatError, WireFormatError("payload too large"))
        }
    }

    func testChainHashCoversEveryField() {
        var scratch: [UInt8] = []
        let genesis = CanonicalEncoding.genesis
        let base = CanonicalEncoding.chainHash(previous: genesis, event: Self.event, scratch: &scratch)
        XCTAssertEqual(base.count, 32)
        var e = Self.event
        let variants: [(String, (inout Event) -> Void)] = [
            ("seq", { $0.seq += 1 }), ("id", { $0.id = .derived("other") }), ("type", { $0.type += "x" }),
            ("version", { $0.version += 1 }), ("subject", { $0.subject += "x" }), ("region", { $0.region += "1" }),
            ("occurredAt", { $0.occurredAt += 1 }), ("recordedAt", { $0.recordedAt += 1 }),
            ("causation", { $0.causation = nil }), ("correlation", { $0.correlation = .derived("c") }),
            ("payload", { $0.payload[0] ^= 1 }),
        ]
        for (name, change) in variants {
            e = Self.event
            change(&e)
            XCTAssertNotEqual(CanonicalEncoding.chainHash(previous: genesis, event: e, scratch: &scratch), base, name)
        }
        var previous = CanonicalEncoding.genesis
        previous[31] = 1
        XCTAssertNotEqual(CanonicalEncoding.chainHash(previous: previous, event: Self.event, scratch: &scratch), base)
        var manual = SHA256()
        manual.update(CanonicalEncoding.genesis)
        manual.update(CanonicalEncoding.encode(Self.event))
        XCTAssertEqual(manual.finalize(), base)
    }
}
