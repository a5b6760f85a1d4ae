import GongguTransport
import XCTest

/// Whether a publisher's subscribers want events, from the subscription messages of its XPUB socket.
final class SubscriptionsTests: XCTestCase {
    private func message(_ kind: UInt8, _ prefix: String) -> [UInt8] { [kind] + Array(prefix.utf8) }

    /// Each row: the messages in order, then whether events are wanted after them.
    func testTable() {
        let rows: [(String, [[UInt8]], Bool)] = [
            ("nobody subscribed", [], false),
            ("heartbeats of one stream", [message(1, "_HB/intake")], false),
            ("heartbeats of every stream", [message(1, "_HB/")], false),
            ("the whole stream", [message(1, "")], true),
            ("one event type", [message(1, "RiskFeedback/")], true),
            ("a prefix that stops short of _HB/ could match more", [message(1, "_HB")], true),
            ("the whole stream, then gone", [message(1, ""), message(0, "")], false),
            ("heartbeats stay after an event subscriber leaves",
             [message(1, "_HB/intake"), message(1, "Subsidy"), message(0, "Subsidy")], false),
            ("an event subscriber stays after the heartbeat subscriber leaves",
             [message(1, "_HB/intake"), message(1, "Subsidy"), message(0, "_HB/intake")], true),
            ("a repeated subscription counts once", [message(1, ""), message(1, ""), message(0, "")], false),
            ("unsubscribing what was never subscribed changes nothing", [message(0, ""), message(1, "A")], true),
            ("unknown first byte ignored", [message(2, "")], false),
            ("empty message ignored", [[]], false),
        ]
        for (name, messages, wanted) in rows {
            var s = Subscriptions()
            for m in messages { m.withUnsafeBytes { s.apply($0) } }
            XCTAssertEqual(s.wantsEvents, wanted, name)
        }
    }

    /// A peer that subscribes without end cannot grow the set past its limit; from then on the publisher
    /// sends events (as a plain PUB would), whatever is unsubscribed later.
    func testOverflowWantsEventsForGood() {
        var s = Subscriptions(limit: 2)
        for p in ["_HB/a", "_HB/b"] { message(1, p).withUnsafeBytes { s.apply($0) } }
        XCTAssertFalse(s.wantsEvents)
        message(1, "_HB/c").withUnsafeBytes { s.apply($0) }
        XCTAssertTrue(s.wantsEvents)
        for p in ["_HB/a", "_HB/b", "_HB/c"] { message(0, p).withUnsafeBytes { s.apply($0) } }
        XCTAssertTrue(s.wantsEvents)
    }
}
