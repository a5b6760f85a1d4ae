import GongguCore
import GongguEvents
import XCTest

@testable import GongguNotify

/// The notifier reads an upstream decision or finding with its producer's table, building only the
/// strings routing uses: it must refuse exactly what the producer's own read refuses (a malformed
/// payload is counted, never routed) and take the same texts and ids from what it accepts.
final class RoutedSourceTests: XCTestCase {
    private func event(_ type: String, _ json: String) -> Event {
        Event(
            id: EventID.derived("routed|\(json)"), type: type, subject: "H1", region: "220102001001",
            occurredAt: 1_735_000_000_000, payload: Array(json.utf8))
    }

    private func sameAsFullRead<P: EventPayload>(
        _: P.Type, _ json: String, _ expected: (P) -> [String], line: UInt = #line
    ) {
        let e = event(P.eventType, json)
        let full = try? e.decode(P.self)
        let routed = RoutedSource(e)
        XCTAssertEqual(routed == nil, full == nil, "\(P.eventType) \(json)", line: line)
        if let full, let routed {
            // Title, summary, household, finding id, recommendation id; empty ones count as absent.
            let want = expected(full).map { $0.isEmpty ? nil : $0 }
            let got = [routed.title, routed.summary, routed.householdID, routed.findingID, routed.recommendationID]
            XCTAssertEqual(got, want, json, line: line)
        }
    }

    func testRiskFeedbackIsRefusedAndReadAsTheFullRead() {
        let base = #""feedbackID":"f\u0031","recommendationID":"r1","kind":"monitoring","householdID":"H1","#
            + #""recipientRegion":"220102","recipientKind":"bureau","level":"high","riskTypes":["01","03"],"#
            + #""recommendedAction":"","ruleIDs":["risk.signal.a"],"title":"纳入监测：户H1","summary":"户H1近12个月…","#
            + #""ruleID":"","ruleVersion":"","evidence":[],"thresholds":{"monitoringLineFen":760000}"#
        let cases = [
            "{" + base + "}",
            "{" + base + #","unknown":[1,{"x":null}]}"#,
            "{" + base.replacingOccurrences(of: #""level":"high""#, with: #""level":"severe""#) + "}",
            "{" + base.replacingOccurrences(of: #""level":"high""#, with: #""level":"hig\u0068""#) + "}",
            "{" + base.replacingOccurrences(of: #""kind":"monitoring""#, with: #""kind":5"#) + "}",
            "{" + base.replacingOccurrences(of: #""recipientRegion":"220102""#, with: #""recipientRegion":null"#) + "}",
            "{" + base.replacingOccurrences(of: #""riskTypes":["01","03"]"#, with: #""riskTypes":["01",3]"#) + "}",
            "{" + base.replacingOccurrences(of: #""riskTypes":["01","03"]"#, with: #""riskTypes":"01""#) + "}",
            "{" + base.replacingOccurrences(of: #""ruleIDs":["risk.signal.a"]"#, with: #""ruleIDs":{}"#) + "}",
            "{" + base.replacingOccurrences(of: #""feedbackID":"f\u0031""#, with: #""feedbackID":"f\x""#) + "}",
            "{" + base.replacingOccurrences(of: #""ruleVersion":"""#, with: "\"ruleVersion\":\"a\u{1}b\"") + "}",
            "{" + base.replacingOccurrences(of: #""recommendedAction":"""#, with: #""recommendedAction":"unterminated"#) + "}",
            "{" + base.replacingOccurrences(of: #""thresholds":{"monitoringLineFen":760000}"#, with: #""thresholds":{"a":"b"}"#) + "}",
            "{" + base.replacingOccurrences(of: #""householdID":"H1","#, with: "") + "}",
            "{" + base.replacingOccurrences(of: #""householdID":"H1","#, with: #""householdID":"","#) + "}",
            "{" + base.replacingOccurrences(of: #""title":"纳入监测：户H1","#, with: "") + "}",
            #"{"householdID":"H1"}"#,
            "{" + base + ",}",
            "[]",
        ]
        for json in cases {
            sameAsFullRead(RiskFeedback.self, json) {
                [$0.explanation.title, $0.explanation.summary, $0.householdID, "", $0.recommendationID]
            }
        }
        XCTAssertNil(RoutedSource(event(RiskFeedback.eventType, "{" + base.replacingOccurrences(of: "high", with: "severe") + "}")))
        XCTAssertNotNil(RoutedSource(event(RiskFeedback.eventType, "{" + base + "}")))
    }

    func testOtherDecisionsAndFindingsAreRefusedAndReadAsTheFullRead() {
        let overdue = #"{"householdID":"H1","recommendationID":"r1","kind":"monitoring","recommendedOn":"2025-01-01","#
            + #""period":1,"daysOpen":30,"recipientRegion":"220102","title":"t","summary":"s","evidence":["e"]}"#
        for json in [overdue, overdue.replacingOccurrences(of: #""period":1"#, with: #""period":"1""#),
                     overdue.replacingOccurrences(of: #""kind":"monitoring""#, with: #""kind":true"#)] {
            sameAsFullRead(RecommendationOverdue.self, json) {
                [$0.explanation.title, $0.explanation.summary, $0.householdID, "", $0.recommendationID]
            }
        }
        let without = #"{"householdID":"H1","monitoredSince":"2025-01-01","daysMonitored":40,"title":"t","summary":"s"}"#
        for json in [without, without.replacingOccurrences(of: #""monitoredSince":"2025-01-01""#, with: #""monitoredSince":1"#)] {
            sameAsFullRead(MonitoringWithoutAssistance.self, json) {
                [$0.explanation.title, $0.explanation.summary, $0.householdID, "", ""]
            }
        }
        let gap = #"{"findingID":"g1","householdID":"H1","personID":"P1","measure":"dibao","#
            + #""period":{"from":"2025-01","to":"2025-06"},"title":"t","summary":"s","ruleID":"r","ruleVersion":"v","#
            + #""evidence":["a"],"thresholds":{"gapMonths":3},"months":6}"#
        for json in [gap, gap.replacingOccurrences(of: #""measure":"dibao""#, with: #""measure":"cake""#),
                     gap.replacingOccurrences(of: #""ruleID":"r""#, with: #""ruleID":["r"]"#),
                     gap.replacingOccurrences(of: #""period":{"from":"2025-01","to":"2025-06"}"#, with: #""period":{"from":1}"#),
                     gap.replacingOccurrences(of: #""findingID":"g1","#, with: "")] {
            sameAsFullRead(EntitlementGap.self, json) {
                [$0.title, $0.summary, $0.householdID, $0.findingID, ""]
            }
        }
        let resolved = #"{"findingID":"g1","householdID":"H1","measure":"dibao","resolvedBy":"x","title":"t","summary":"s"}"#
        for json in [resolved, resolved.replacingOccurrences(of: #""resolvedBy":"x""#, with: #""resolvedBy":2"#)] {
            sameAsFullRead(FindingResolved.self, json) {
                [$0.title, $0.summary, $0.householdID, $0.findingID, ""]
            }
        }
    }

    /// Through the fold: a malformed decision is counted, and nothing is routed.
    func testAMalformedRiskFeedbackIsCountedNotRouted() throws {
        var fold = NotifyFold()
        _ = fold.apply(
            Event(DirectoryActivated(try RecipientDirectory(text: RecipientDirectory.sampleDocument)), id: EventID.derived("dir"), subject: "directory",
                  region: "", occurredAt: 1_735_000_000_000))
        let bad = #"{"householdID":"H1","recipientRegion":"220102","level":"severe","title":"t","summary":"s"}"#
        XCTAssertEqual(fold.apply(event(RiskFeedback.eventType, bad)), [])
        XCTAssertEqual(fold.anomalies.malformedSources, 1)
    }
}
