import GongguCore
import GongguEvents
import XCTest

@testable import GongguVerify

/// docs/RULES-verify.md, the exclusions from the two subsidies, row by row from the rule's wording:
/// "People in 特困供养 or receiving the work-injury nursing allowance receive neither subsidy. Orphans
/// receive the nursing subsidy but not the living subsidy. Against other welfare allowances of the same
/// kind (old-age living or nursing allowances) the higher one is taken (择高), not both."
/// Every exclusion must give both: no entitlement (no gap while unpaid) and a `PaymentAnomaly` naming
/// the exclusion when the excluded subsidy is paid.
final class ExclusionTests: XCTestCase {
    struct Case {
        let name: String
        var orphan = false
        var workInjury = false
        var oldAge = false
        var tekun = false
        /// A rule document replacing the default (old-age exclusions are configurable per kind).
        var rules: String?
        /// Subsidies the person is still entitled to (a gap while unpaid).
        let entitled: Set<Measure>
        /// Anomaly kind expected when each subsidy is paid (nil: the payment is in order).
        let living: AnomalyKind?
        let nursing: AnomalyKind?
    }

    static let cases: [Case] = [
        Case(name: "no exclusion", entitled: [.living, .nursing], living: nil, nursing: nil),
        Case(name: "特困供养: neither subsidy", tekun: true, entitled: [],
             living: .excludedTekun, nursing: .excludedTekun),
        Case(name: "工伤保险生活护理费: neither subsidy", workInjury: true, entitled: [],
             living: .excludedWorkInjury, nursing: .excludedWorkInjury),
        Case(name: "orphan: nursing subsidy, not the living subsidy", orphan: true, entitled: [.nursing],
             living: .excludedOrphan, nursing: nil),
        Case(name: "old-age allowance, default rules: 择高 for both", oldAge: true, entitled: [],
             living: .excludedOldAgeAllowance, nursing: .excludedOldAgeAllowance),
        Case(name: "old-age allowance replacing only the nursing subsidy", oldAge: true,
             rules: VerifyRules.defaultDocument.replacingOccurrences(
                of: #""oldAgeAllowanceExcludes": ["living", "nursing"]"#,
                with: #""oldAgeAllowanceExcludes": ["nursing"]"#),
             entitled: [.living], living: nil, nursing: .excludedOldAgeAllowance),
        Case(name: "old-age allowance excluding nothing", oldAge: true,
             rules: VerifyRules.defaultDocument.replacingOccurrences(
                of: #""oldAgeAllowanceExcludes": ["living", "nursing"]"#, with: #""oldAgeAllowanceExcludes": []"#),
             entitled: [.living, .nursing], living: nil, nursing: nil),
    ]

    /// A grade-1 person needing long-term care in a 低保 household: entitled to both subsidies unless excluded.
    func feed(_ c: Case, _ p: String, _ h: String) -> Feed {
        var f = Feed()
        if let rules = c.rules {
            let versioned = rules.replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"2025.9\"")
            f.add(rulesEvent(versioned), "verify", region: "", date: "2024-01-01")
        }
        f.add(survey(p, h, name: "王五", birth: "1950-02-03", grade: 1, care: true, orphan: c.orphan,
                     workInjury: c.workInjury, oldAge: c.oldAge), h, date: "2024-01-05")
        f.add(assistance(h, .dibao, start: "2023-01"), h, date: "2024-01-06")
        if c.tekun { f.add(assistance(h, .tekun, person: p, start: "2023-01"), h, date: "2024-01-06") }
        return f
    }

    func testExcludedPersonIsNotEntitled() {
        for c in Self.cases {
            let p = residentID(birth: "1950-02-03", seq: 500 + c.name.count), h = "H-EX"
            var f = feed(c, p, h)
            f.ticks(from: "2024-02", to: "2024-12")
            XCTAssertEqual(Set(f.gaps.map(\.measure)), c.entitled, c.name)
        }
    }

    func testPaymentToExcludedPersonIsAnAnomalyNamingTheExclusion() {
        for c in Self.cases {
            for (kind, expected) in [(SubsidyKind.living, c.living), (.nursing, c.nursing)] {
                let p = residentID(birth: "1950-02-03", seq: 600 + c.name.count), h = "H-EX"
                var f = feed(c, p, h)
                f.pay(p, h, kind, from: "2024-03", to: "2024-03")
                let got = f.anomalies.map { $0.anomaly! }
                XCTAssertEqual(got, expected.map { [$0] } ?? [], "\(c.name), \(kind.rawValue)")
                for a in f.anomalies {
                    XCTAssertEqual(a.measure, Measure(kind), c.name)
                    XCTAssertEqual(a.month, "2024-03", c.name)
                    XCTAssertEqual(a.ruleID, "verify.anomaly.\(a.anomaly!.rawValue)", c.name)
                    // The summary names the exclusion in words staff know.
                    XCTAssertTrue(a.summary.contains(a.anomaly!.exclusionText!), "\(c.name): \(a.summary)")
                    XCTAssertFalse(a.summary.contains(p), c.name)
                    XCTAssertFalse(a.evidence.isEmpty, c.name)
                }
            }
        }
    }
}
