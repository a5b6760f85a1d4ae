import GongguCore
import GongguEvents

/// One measure of one person as the verifier sees it in its reference month.
public struct VerifyMeasureView: Sendable, Equatable {
    public var measure: Measure
    /// Receiving it in the reference month (for pension: the government-paid premium of the year checked).
    public var receiving: Bool
    /// Months without it up to the reference month (0 when receiving).
    public var monthsWithout: Int
    /// Last month it was received, `YYYY-MM`, if ever (within the verifier's window).
    public var lastReceived: String?
    /// The entitlement condition, in Chinese.
    public var why: String
}

/// A person with a disability of the household, as the verifier knows them.
public struct VerifyPersonView: Sendable, Equatable {
    public var personID: String
    public var name: String
    /// Disability category and grade from the survey (nil / 0 when only known from payments).
    public var category: DisabilityCategory?
    public var grade: Int
    /// Survey flags that bear on entitlements (e.g. `needsLongTermCare`, `orphan`), sorted.
    public var flags: [String]
    /// `death` or `movedOut`, and its month `YYYY-MM`, if recorded.
    public var lifeEvent: String?
    public var lifeMonth: String?
    /// Measures the person is entitled to in the reference month.
    public var entitlements: [VerifyMeasureView]
}

/// A 低保 / 低保边缘 / 特困 span known for the household or one of its persons.
public struct VerifyProgrammeView: Sendable, Equatable {
    public var programme: AssistanceProgramme
    /// The person covered on their own (单人户施保), nil for the whole household.
    public var personID: String?
    public var startMonth: String
    public var stopMonth: String?
    public var stopReason: StopReason?
    public var monthlyFen: Int
}

/// A gap or discontinuation finding still open (not resolved by later facts).
public struct VerifyOpenFindingView: Sendable, Equatable {
    public var findingID: String
    /// `EntitlementGap` or `AssistanceDiscontinued`.
    public var type: String
    public var measure: Measure
    public var personID: String?
    /// First month concerned, `YYYY-MM`.
    public var fromMonth: String
    public var ruleID: String
    public var ruleVersion: String
}

/// The verifier's whole knowledge of one household (for investigators' as-of views).
public struct VerifyHouseholdView: Sendable, Equatable {
    public var householdID: String
    public var region: String
    public var status: PovertyStatus?
    /// The household left poverty (四个不摘 applies), and the month from which, if known.
    public var leftPoverty: Bool
    public var liftedMonth: String?
    /// The month entitlements were evaluated against, `YYYY-MM` (nil before any sweep).
    public var referenceMonth: String?
    public var persons: [VerifyPersonView]
    public var programmes: [VerifyProgrammeView]
    public var openFindings: [VerifyOpenFindingView]
}

extension VerifyFold {
    /// Everything the verifier holds about household `id`, evaluated in its reference month with the
    /// rules in force then; nil when the household is unknown. Read-only: the state is not changed.
    public func householdView(_ id: String) -> VerifyHouseholdView? {
        guard let h = householdIndex[ShortID(id)] else { return nil }
        let hh = households[Int(h)]
        let reference = reference(h)
        func month(_ m: Int32) -> String? { m < 0 ? nil : BusinessCalendar.monthText(Int(m)) }
        var persons: [VerifyPersonView] = []
        for i in hh.members {
            let p = self.persons[Int(i)]
            var entitlements: [VerifyMeasureView] = []
            if reference >= 0, p.has(PersonFlags.surveyed) {
                let r = rules(h, month: reference).rules
                for measure in Measure.personal {
                    if measure == .pension {
                        let year = pensionYear(month: reference, rules: r)
                        guard let e = pensionEntitlement(i, year: year, rules: r, explain: true) else { continue }
                        let paid = p.pensionPaid(year)
                        entitlements.append(
                            VerifyMeasureView(
                                measure: measure, receiving: paid, monthsWithout: 0, lastReceived: nil, why: e.why))
                    } else if let a = assess(i, measure, month: reference, rules: r, explain: true) {
                        entitlements.append(
                            VerifyMeasureView(
                                measure: measure, receiving: a.shortfall == 0, monthsWithout: a.shortfall,
                                lastReceived: month(a.lastReceived), why: a.why))
                    }
                }
            }
            persons.append(
                VerifyPersonView(
                    personID: p.id, name: p.name, category: p.categoryValue, grade: Int(p.grade),
                    flags: Self.flagNames(p.flags),
                    lifeEvent: p.lifeKind == 1 ? "death" : p.lifeKind == 2 ? "movedOut" : nil,
                    lifeMonth: p.lifeKind == 0 ? nil : month(p.lifeMonth), entitlements: entitlements))
        }
        let programmes = hh.spans.map { s in
            VerifyProgrammeView(
                programme: s.programme, personID: s.person < 0 ? nil : self.persons[Int(s.person)].id,
                startMonth: month(s.start) ?? "", stopMonth: month(s.stop), stopReason: s.reason,
                monthlyFen: Int(s.monthlyFen))
        }
        let findings = open.values.filter { $0.household == h }.sorted { $0.findingID < $1.findingID }.map { f in
            VerifyOpenFindingView(
                findingID: f.findingID,
                type: f.discontinuation ? DiscontinuationFinding.eventType : GapFinding.eventType,
                measure: f.measure, personID: f.person < 0 ? nil : self.persons[Int(f.person)].id,
                fromMonth: month(f.from) ?? "", ruleID: f.ruleID, ruleVersion: f.ruleVersion)
        }
        return VerifyHouseholdView(
            householdID: id, region: hh.region, status: hh.status, leftPoverty: hh.leftPoverty,
            liftedMonth: month(hh.liftedMonth), referenceMonth: month(reference), persons: persons,
            programmes: programmes, openFindings: findings)
    }

    /// The household ids a person belongs to in the verifier's state (nil when unknown).
    public func householdID(ofPerson personID: String) -> String? {
        personIndex[PersonKey(personID)].map { households[Int(persons[Int($0)].household)].id }
    }

    private static func flagNames(_ flags: UInt16) -> [String] {
        let names: [(UInt16, String)] = [
            (PersonFlags.student, "student"), (PersonFlags.longTermCare, "needsLongTermCare"),
            (PersonFlags.orphan, "orphan"), (PersonFlags.workInjuryNursing, "workInjuryNursing"),
            (PersonFlags.oldAgeAllowance, "oldAgeAllowance"), (PersonFlags.pensionEnrolled, "pensionEnrolled"),
            (PersonFlags.rehabilitationNeeded, "rehabilitationNeeded"),
            (PersonFlags.accessibilityNeeded, "accessibilityNeeded"),
            (PersonFlags.accessibilityDone, "accessibilityDone"),
            (PersonFlags.autism, "autism"),
        ]
        return names.filter { flags & $0.0 != 0 }.map(\.1).sorted()
    }
}
