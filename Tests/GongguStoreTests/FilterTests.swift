import GongguCore
import XCTest

@testable import GongguStore

final class FilterTests: StoreTestCase {
    func testTypeAndRegionPrefixes() throws {
        let log = try makeLog()
        let all = try log.append(sampleEvents(12), recordedAt: 1)
        let cases: [(type: String?, region: String?, after: Int64, limit: Int, expected: [Event])] = [
            (nil, nil, 0, 100, all),
            ("Disability", nil, 0, 100, all.filter { $0.type == "DisabilityRecorded" }),
            ("Subsidy", "2202", 0, 100, all.filter { $0.type == "SubsidyPaid" && $0.region.hasPrefix("2202") }),
            (nil, "220102", 0, 100, all.filter { $0.region.hasPrefix("220102") }),
            (nil, "220102", 4, 1, Array(all.filter { $0.region.hasPrefix("220102") && $0.seq > 4 }.prefix(1))),
            ("Nothing", nil, 0, 100, []),
        ]
        for c in cases {
            let got = try log.read(after: c.after, limit: c.limit, typePrefix: c.type, regionPrefix: c.region)
            XCTAssertEqual(got.map(\.seq), c.expected.map(\.seq), "\(c.type ?? "-") \(c.region ?? "-")")
        }
    }

    func testTopicPrefixes() throws {
        let log = try makeLog()
        var events = sampleEvents(6)
        events[5].type = "SubsidyPaidLate"
        let all = try log.append(events, recordedAt: 1)
        let cases: [(String, [Event])] = [
            ("", all),
            ("Subsidy", all.filter { $0.type.hasPrefix("Subsidy") }),
            ("SubsidyPaid/", all.filter { $0.type == "SubsidyPaid" }),
            ("SubsidyPaid/2202", all.filter { $0.type == "SubsidyPaid" && $0.region.hasPrefix("2202") }),
            ("DisabilityRecorded/220102",
             all.filter { $0.type == "DisabilityRecorded" && $0.region.hasPrefix("220102") }),
        ]
        for (topic, expected) in cases {
            let got = try log.read(after: 0, limit: 100, topicPrefix: topic)
            XCTAssertEqual(got.map(\.seq), expected.map(\.seq), topic)
        }
    }
}
