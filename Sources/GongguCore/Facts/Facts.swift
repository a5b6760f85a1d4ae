/// Fact events: what intake accepted from the offices, normalised (docs/INTAKE.md).
///
/// Conventions: dates are `YYYY-MM-DD`, months `YYYY-MM` (China Standard Time business calendar);
/// amounts are integer fen (分); resident IDs are normalised 18-character GB 11643 numbers.
/// Every fact carries `source`: where intake read it (file or endpoint, line), for evidence.

/// Where a fact came from: file or endpoint, and line (1-based, header = line 1).
public struct SourceRef: Sendable, Equatable {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    func write(to w: inout JSONWriter) {
        w.key("source")
        w.beginObject()
        w.field("file", file)
        w.field("line", line)
        w.endObject()
    }
    static func read(_ r: inout JSONReader) throws -> SourceRef {
        var s = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "file": s.file = try r.readString()
            case "line": s.line = try r.readInt()
            default: try r.skipValue()
            }
        }
        return s
    }
}

@inline(__always)
func required<T>(_ value: T?, _ type: String, _ field: String) throws -> T {
    guard let value else { throw EventDecodingError.missingField(type: type, field: field) }
    return value
}

@inline(__always)
func enumValue<E: RawRepresentable>(_ r: inout JSONReader, _ type: String, _ field: String) throws -> E
where E.RawValue == String {
    guard let v = E(rawValue: try r.readString()) else { throw EventDecodingError.invalidValue(type: type, field: field) }
    return v
}

/// 残联 annual survey (动态更新): a person with a disability and their card. Subject: household id.
public struct DisabilityRecorded: EventPayload, Equatable {
    public static let eventType = "DisabilityRecorded"
    public var personID: String
    public var householdID: String
    public var name: String
    public var birthDate: String
    /// "M" or "F", from the ID's sequence digit.
    public var gender: String
    /// 20-character card number (第二代残疾人证号).
    public var cardNumber: String
    public var category: DisabilityCategory
    /// 1 (most severe) … 4.
    public var grade: Int
    public var labour: LabourCapacity
    public var surveyYear: Int
    /// Whether the resident ID was converted from the old 15-digit form.
    public var idConverted: Bool = false
    public var student: Bool = false
    /// Needs long-term care (≥ 6 months), a nursing-subsidy condition.
    public var needsLongTermCare: Bool = false
    public var orphan: Bool = false
    /// Receives the work-injury nursing allowance (excludes both subsidies).
    public var workInjuryNursing: Bool = false
    /// Receives an old-age living or nursing allowance (择高 against the subsidies).
    public var oldAgeAllowance: Bool = false
    /// Enrolled in the urban-rural resident pension.
    public var pensionEnrolled: Bool = false
    public var rehabilitationNeeded: Bool = false
    public var accessibilityNeeded: Bool = false
    public var accessibilityDone: Bool = false
    /// Autism diagnosis (child rehabilitation covers it).
    public var autism: Bool = false
    public var source: SourceRef

    public init(
        personID: String, householdID: String, name: String, birthDate: String, gender: String, cardNumber: String,
        category: DisabilityCategory, grade: Int, labour: LabourCapacity, surveyYear: Int, source: SourceRef
    ) {
        self.personID = personID
        self.householdID = householdID
        self.name = name
        self.birthDate = birthDate
        self.gender = gender
        self.cardNumber = cardNumber
        self.category = category
        self.grade = grade
        self.labour = labour
        self.surveyYear = surveyYear
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var personID: String?, householdID: String?, name: String?, birth: String?, gender: String?, card: String?
        var category: DisabilityCategory?, grade: Int?, labour: LabourCapacity?, year: Int?, source: SourceRef?
        var flags = [Bool](repeating: false, count: 11)
        try r.readObject { r, k in
            switch k {
            case "personID": personID = try r.readString()
            case "householdID": householdID = try r.readString()
            case "name": name = try r.readString()
            case "birthDate": birth = try r.readString()
            case "gender": gender = try r.readString()
            case "cardNumber": card = try r.readString()
            case "category":
                guard let c = DisabilityCategory(rawValue: try r.readInt()) else {
                    throw EventDecodingError.invalidValue(type: t, field: "category")
                }
                category = c
            case "grade": grade = try r.readInt()
            case "labour": labour = try enumValue(&r, t, "labour")
            case "surveyYear": year = try r.readInt()
            case "idConverted": flags[0] = try r.readBool()
            case "student": flags[1] = try r.readBool()
            case "needsLongTermCare": flags[2] = try r.readBool()
            case "orphan": flags[3] = try r.readBool()
            case "workInjuryNursing": flags[4] = try r.readBool()
            case "oldAgeAllowance": flags[5] = try r.readBool()
            case "pensionEnrolled": flags[6] = try r.readBool()
            case "rehabilitationNeeded": flags[7] = try r.readBool()
            case "accessibilityNeeded": flags[8] = try r.readBool()
            case "accessibilityDone": flags[9] = try r.readBool()
            case "autism": flags[10] = try r.readBool()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            personID: try required(personID, t, "personID"), householdID: try required(householdID, t, "householdID"),
            name: name ?? "", birthDate: try required(birth, t, "birthDate"), gender: gender ?? "",
            cardNumber: try required(card, t, "cardNumber"), category: try required(category, t, "category"),
            grade: try required(grade, t, "grade"), labour: labour ?? .none, surveyYear: try required(year, t, "surveyYear"),
            source: source ?? SourceRef(file: "", line: 0))
        (idConverted, student, needsLongTermCare, orphan, workInjuryNursing, oldAgeAllowance) =
            (flags[0], flags[1], flags[2], flags[3], flags[4], flags[5])
        (pensionEnrolled, rehabilitationNeeded, accessibilityNeeded, accessibilityDone, autism) =
            (flags[6], flags[7], flags[8], flags[9], flags[10])
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("personID", personID)
        w.field("householdID", householdID)
        w.field("name", name)
        w.field("birthDate", birthDate)
        w.field("gender", gender)
        w.field("cardNumber", cardNumber)
        w.field("category", category.rawValue)
        w.field("grade", grade)
        w.field("labour", labour.rawValue)
        w.field("surveyYear", surveyYear)
        if idConverted { w.field("idConverted", true) }
        if student { w.field("student", true) }
        if needsLongTermCare { w.field("needsLongTermCare", true) }
        if orphan { w.field("orphan", true) }
        if workInjuryNursing { w.field("workInjuryNursing", true) }
        if oldAgeAllowance { w.field("oldAgeAllowance", true) }
        if pensionEnrolled { w.field("pensionEnrolled", true) }
        if rehabilitationNeeded { w.field("rehabilitationNeeded", true) }
        if accessibilityNeeded { w.field("accessibilityNeeded", true) }
        if accessibilityDone { w.field("accessibilityDone", true) }
        if autism { w.field("autism", true) }
        source.write(to: &w)
        w.endObject()
    }
}

/// A household member (disabled or not) and their labour capacity; dated membership.
/// Subject: household id.
public struct MemberRecorded: EventPayload, Equatable {
    public static let eventType = "MemberRecorded"
    public var householdID: String
    public var personID: String
    public var name: String
    public var birthDate: String
    public var labour: LabourCapacity
    public var student: Bool
    /// Date from which the membership holds.
    public var since: String
    /// True when this record ends the membership (the person left the household).
    public var left: Bool
    public var source: SourceRef

    public init(
        householdID: String, personID: String, name: String, birthDate: String, labour: LabourCapacity,
        student: Bool = false, since: String, left: Bool = false, source: SourceRef
    ) {
        self.householdID = householdID
        self.personID = personID
        self.name = name
        self.birthDate = birthDate
        self.labour = labour
        self.student = student
        self.since = since
        self.left = left
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, pid: String?, name = "", birth: String?, labour: LabourCapacity?, student = false
        var since: String?, left = false, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "personID": pid = try r.readString()
            case "name": name = try r.readString()
            case "birthDate": birth = try r.readString()
            case "labour": labour = try enumValue(&r, t, "labour")
            case "student": student = try r.readBool()
            case "since": since = try r.readString()
            case "left": left = try r.readBool()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), personID: try required(pid, t, "personID"), name: name,
            birthDate: try required(birth, t, "birthDate"), labour: try required(labour, t, "labour"), student: student,
            since: try required(since, t, "since"), left: left, source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("name", name)
        w.field("birthDate", birthDate)
        w.field("labour", labour.rawValue)
        if student { w.field("student", true) }
        w.field("since", since)
        if left { w.field("left", true) }
        source.write(to: &w)
        w.endObject()
    }
}

/// Household poverty status from a given date. Subject: household id.
public struct HouseholdStatusRecorded: EventPayload, Equatable {
    public static let eventType = "HouseholdStatusRecorded"
    public var householdID: String
    public var status: PovertyStatus
    public var effectiveDate: String
    /// Year the household left poverty, for 脱贫户.
    public var liftedYear: Int?
    public var source: SourceRef

    public init(householdID: String, status: PovertyStatus, effectiveDate: String, liftedYear: Int? = nil, source: SourceRef) {
        self.householdID = householdID
        self.status = status
        self.effectiveDate = effectiveDate
        self.liftedYear = liftedYear
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, status: PovertyStatus?, date: String?, lifted: Int?, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "status": status = try enumValue(&r, t, "status")
            case "effectiveDate": date = try r.readString()
            case "liftedYear": lifted = try r.readInt()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), status: try required(status, t, "status"),
            effectiveDate: try required(date, t, "effectiveDate"), liftedYear: lifted, source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("status", status.rawValue)
        w.field("effectiveDate", effectiveDate)
        w.field("liftedYear", liftedYear)
        source.write(to: &w)
        w.endObject()
    }
}

/// Household net income over the 12 months before `assessedDate`. Subject: household id.
public struct IncomeAssessed: EventPayload, Equatable {
    public static let eventType = "IncomeAssessed"
    public var householdID: String
    public var year: Int
    /// Household net income, fen.
    public var netIncomeFen: Int
    public var members: Int
    public var assessedDate: String
    public var source: SourceRef

    /// Per-capita net income, fen.
    public var perCapitaFen: Int { members > 0 ? netIncomeFen / members : netIncomeFen }

    public init(householdID: String, year: Int, netIncomeFen: Int, members: Int, assessedDate: String, source: SourceRef) {
        self.householdID = householdID
        self.year = year
        self.netIncomeFen = netIncomeFen
        self.members = members
        self.assessedDate = assessedDate
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, year: Int?, income: Int?, members: Int?, date: String?, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "year": year = try r.readInt()
            case "netIncomeFen": income = try r.readInt()
            case "members": members = try r.readInt()
            case "assessedDate": date = try r.readString()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), year: try required(year, t, "year"),
            netIncomeFen: try required(income, t, "netIncomeFen"), members: try required(members, t, "members"),
            assessedDate: try required(date, t, "assessedDate"), source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("year", year)
        w.field("netIncomeFen", netIncomeFen)
        w.field("members", members)
        w.field("assessedDate", assessedDate)
        source.write(to: &w)
        w.endObject()
    }
}

/// Civil-affairs status (低保 / 低保边缘 / 特困) of a household or one person (单人户施保).
/// Subject: household id.
public struct AssistanceRecorded: EventPayload, Equatable {
    public static let eventType = "AssistanceRecorded"
    public var householdID: String
    /// Set when one person is covered on their own (单人户施保) or the record is per person.
    public var personID: String?
    public var programme: AssistanceProgramme
    public var startMonth: String
    /// Month of the last payment; nil while active.
    public var stopMonth: String?
    public var stopReason: StopReason?
    /// Monthly amount, fen.
    public var monthlyFen: Int
    public var source: SourceRef

    public init(
        householdID: String, personID: String? = nil, programme: AssistanceProgramme, startMonth: String,
        stopMonth: String? = nil, stopReason: StopReason? = nil, monthlyFen: Int, source: SourceRef
    ) {
        self.householdID = householdID
        self.personID = personID
        self.programme = programme
        self.startMonth = startMonth
        self.stopMonth = stopMonth
        self.stopReason = stopReason
        self.monthlyFen = monthlyFen
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, pid: String?, prog: AssistanceProgramme?, start: String?, stop: String?
        var reason: StopReason?, amount = 0, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "personID": pid = try r.readString()
            case "programme": prog = try enumValue(&r, t, "programme")
            case "startMonth": start = try r.readString()
            case "stopMonth": stop = try r.readString()
            case "stopReason": reason = try enumValue(&r, t, "stopReason")
            case "monthlyFen": amount = try r.readInt()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), personID: pid, programme: try required(prog, t, "programme"),
            startMonth: try required(start, t, "startMonth"), stopMonth: stop, stopReason: reason, monthlyFen: amount,
            source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("programme", programme.rawValue)
        w.field("startMonth", startMonth)
        w.field("stopMonth", stopMonth)
        w.field("stopReason", stopReason?.rawValue)
        w.field("monthlyFen", monthlyFen)
        source.write(to: &w)
        w.endObject()
    }
}

/// Social-insurance pension record for one person and year. Subject: household id.
public struct PensionRecorded: EventPayload, Equatable {
    public static let eventType = "PensionRecorded"
    public var householdID: String
    public var personID: String
    public var year: Int
    public var enrolled: Bool
    /// Premium paid by government for the year (代缴), fen; 0 if none.
    public var governmentPaidFen: Int
    public var source: SourceRef

    public init(householdID: String, personID: String, year: Int, enrolled: Bool, governmentPaidFen: Int, source: SourceRef) {
        self.householdID = householdID
        self.personID = personID
        self.year = year
        self.enrolled = enrolled
        self.governmentPaidFen = governmentPaidFen
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, pid: String?, year: Int?, enrolled = false, paid = 0, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "personID": pid = try r.readString()
            case "year": year = try r.readInt()
            case "enrolled": enrolled = try r.readBool()
            case "governmentPaidFen": paid = try r.readInt()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), personID: try required(pid, t, "personID"),
            year: try required(year, t, "year"), enrolled: enrolled, governmentPaidFen: paid, source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("year", year)
        w.field("enrolled", enrolled)
        w.field("governmentPaidFen", governmentPaidFen)
        source.write(to: &w)
        w.endObject()
    }
}

/// One monthly payment of one of the two subsidies. Subject: household id.
public struct SubsidyPaid: EventPayload, Equatable {
    public static let eventType = "SubsidyPaid"
    public var householdID: String
    public var personID: String
    public var subsidy: SubsidyKind
    /// The month paid for, `YYYY-MM`.
    public var month: String
    public var amountFen: Int
    public var source: SourceRef

    public init(householdID: String, personID: String, subsidy: SubsidyKind, month: String, amountFen: Int, source: SourceRef) {
        self.householdID = householdID
        self.personID = personID
        self.subsidy = subsidy
        self.month = month
        self.amountFen = amountFen
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, pid: String?, kind: SubsidyKind?, month: String?, amount: Int?
        var source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "personID": pid = try r.readString()
            case "subsidy": kind = try enumValue(&r, t, "subsidy")
            case "month": month = try r.readString()
            case "amountFen": amount = try r.readInt()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), personID: try required(pid, t, "personID"),
            subsidy: try required(kind, t, "subsidy"), month: try required(month, t, "month"),
            amountFen: try required(amount, t, "amountFen"), source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("subsidy", subsidy.rawValue)
        w.field("month", month)
        w.field("amountFen", amountFen)
        source.write(to: &w)
        w.endObject()
    }
}

/// Department screening: a large expense, schooling cost, disaster or accident. Subject: household id.
public struct ExpenseReported: EventPayload, Equatable {
    public static let eventType = "ExpenseReported"
    public var householdID: String
    public var personID: String?
    public var kind: ExpenseKind
    /// Self-paid amount (eligible out-of-pocket), fen.
    public var amountFen: Int
    public var date: String
    /// Reporting department, e.g. 医保, 教育, 应急管理.
    public var department: String
    public var source: SourceRef

    public init(
        householdID: String, personID: String? = nil, kind: ExpenseKind, amountFen: Int, date: String,
        department: String, source: SourceRef
    ) {
        self.householdID = householdID
        self.personID = personID
        self.kind = kind
        self.amountFen = amountFen
        self.date = date
        self.department = department
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, pid: String?, kind: ExpenseKind?, amount: Int?, date: String?, dept = ""
        var source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "personID": pid = try r.readString()
            case "kind": kind = try enumValue(&r, t, "kind")
            case "amountFen": amount = try r.readInt()
            case "date": date = try r.readString()
            case "department": dept = try r.readString()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), personID: pid, kind: try required(kind, t, "kind"),
            amountFen: try required(amount, t, "amountFen"), date: try required(date, t, "date"), department: dept,
            source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("kind", kind.rawValue)
        w.field("amountFen", amountFen)
        w.field("date", date)
        w.field("department", department)
        source.write(to: &w)
        w.endObject()
    }
}

/// A 残联 project record: rehabilitation, training, production support, accessibility works.
/// Subject: household id.
public struct ProjectRecorded: EventPayload, Equatable {
    public static let eventType = "ProjectRecorded"
    public var projectID: String
    public var kind: ProjectKind
    public var householdID: String
    public var personID: String?
    public var date: String
    public var amountFen: Int
    public var source: SourceRef

    public init(
        projectID: String, kind: ProjectKind, householdID: String, personID: String? = nil, date: String,
        amountFen: Int, source: SourceRef
    ) {
        self.projectID = projectID
        self.kind = kind
        self.householdID = householdID
        self.personID = personID
        self.date = date
        self.amountFen = amountFen
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var pj: String?, kind: ProjectKind?, hh: String?, pid: String?, date: String?, amount = 0
        var source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "projectID": pj = try r.readString()
            case "kind": kind = try enumValue(&r, t, "kind")
            case "householdID": hh = try r.readString()
            case "personID": pid = try r.readString()
            case "date": date = try r.readString()
            case "amountFen": amount = try r.readInt()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            projectID: try required(pj, t, "projectID"), kind: try required(kind, t, "kind"),
            householdID: try required(hh, t, "householdID"), personID: pid, date: try required(date, t, "date"),
            amountFen: amount, source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("projectID", projectID)
        w.field("kind", kind.rawValue)
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("date", date)
        w.field("amountFen", amountFen)
        source.write(to: &w)
        w.endObject()
    }
}

/// A home visit (走访探视) report from a field app or a file. Subject: household id.
public struct HomeVisitReported: EventPayload, Equatable {
    public static let eventType = "HomeVisitReported"
    public var householdID: String
    public var date: String
    public var visitor: String
    /// Hardship indicators found, free codes such as `income`, `illness`, `housing`, `water`, `schooling`.
    public var hardship: [String]
    /// The household applied for monitoring itself (自主申报).
    public var selfApplication: Bool
    public var notes: String
    public var source: SourceRef

    public init(
        householdID: String, date: String, visitor: String, hardship: [String], selfApplication: Bool,
        notes: String = "", source: SourceRef
    ) {
        self.householdID = householdID
        self.date = date
        self.visitor = visitor
        self.hardship = hardship
        self.selfApplication = selfApplication
        self.notes = notes
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, date: String?, visitor = "", hardship: [String] = [], selfApp = false, notes = ""
        var source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "date": date = try r.readString()
            case "visitor": visitor = try r.readString()
            case "hardship": hardship = try r.readStringArray()
            case "selfApplication": selfApp = try r.readBool()
            case "notes": notes = try r.readString()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), date: try required(date, t, "date"), visitor: visitor,
            hardship: hardship, selfApplication: selfApp, notes: notes, source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("date", date)
        w.field("visitor", visitor)
        w.field("hardship", hardship)
        w.field("selfApplication", selfApplication)
        w.field("notes", notes)
        source.write(to: &w)
        w.endObject()
    }
}

/// Death or registration moved out of the province. Subject: household id.
public struct LifeEventRecorded: EventPayload, Equatable {
    public static let eventType = "LifeEventRecorded"
    public var householdID: String
    public var personID: String
    public var kind: LifeEventKind
    public var date: String
    public var source: SourceRef

    public init(householdID: String, personID: String, kind: LifeEventKind, date: String, source: SourceRef) {
        self.householdID = householdID
        self.personID = personID
        self.kind = kind
        self.date = date
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, pid: String?, kind: LifeEventKind?, date: String?, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "personID": pid = try r.readString()
            case "kind": kind = try enumValue(&r, t, "kind")
            case "date": date = try r.readString()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), personID: try required(pid, t, "personID"),
            kind: try required(kind, t, "kind"), date: try required(date, t, "date"), source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("personID", personID)
        w.field("kind", kind.rawValue)
        w.field("date", date)
        source.write(to: &w)
        w.endObject()
    }
}

/// An office's receipt for a notification it got through the outbox channel (the daily CSV, returned
/// with 处理结果/处理日期 filled in): it acknowledges the notification, as of `date`, and carries the
/// office's note on what was done, if any. Subject: notification id. The notifier folds it.
public struct ReceiptRecorded: EventPayload, Equatable {
    public static let eventType = "ReceiptRecorded"
    /// The notification acknowledged (通知编号, 32 hexadecimal digits).
    public var notificationID: String
    /// 处理日期, `YYYY-MM-DD`: when the office handled the notification.
    public var date: String
    /// 处理结果: the office's note; nil when the office only acknowledged.
    public var result: String?
    public var source: SourceRef

    public init(notificationID: String, date: String, result: String? = nil, source: SourceRef) {
        self.notificationID = notificationID
        self.date = date
        self.result = result
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var id: String?, date: String?, result: String?, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "notificationID": id = try r.readString()
            case "date": date = try r.readString()
            case "result": result = try r.readString()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            notificationID: try required(id, t, "notificationID"), date: try required(date, t, "date"),
            result: result, source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("notificationID", notificationID)
        w.field("date", date)
        w.field("result", result)
        source.write(to: &w)
        w.endObject()
    }
}

/// A decision of the county rural revitalization bureau. Subject: household id.
public struct BureauDecisionRecorded: EventPayload, Equatable {
    public static let eventType = "BureauDecisionRecorded"
    public var householdID: String
    public var decision: BureauDecisionKind
    public var date: String
    /// Recipient id of the bureau that decided (authenticated by its key).
    public var bureau: String
    /// The household type set on inclusion.
    public var householdType: PovertyStatus?
    /// The assistance measure taken, free text (e.g. 低保, 产业帮扶).
    public var measure: String?
    /// The risk feedback or recommendation answered, if known.
    public var inReplyTo: String?
    public var source: SourceRef

    public init(
        householdID: String, decision: BureauDecisionKind, date: String, bureau: String,
        householdType: PovertyStatus? = nil, measure: String? = nil, inReplyTo: String? = nil, source: SourceRef
    ) {
        self.householdID = householdID
        self.decision = decision
        self.date = date
        self.bureau = bureau
        self.householdType = householdType
        self.measure = measure
        self.inReplyTo = inReplyTo
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var hh: String?, decision: BureauDecisionKind?, date: String?, bureau = "", type: PovertyStatus?
        var measure: String?, reply: String?, source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "householdID": hh = try r.readString()
            case "decision": decision = try enumValue(&r, t, "decision")
            case "date": date = try r.readString()
            case "bureau": bureau = try r.readString()
            case "householdType": type = try enumValue(&r, t, "householdType")
            case "measure": measure = try r.readString()
            case "inReplyTo": reply = try r.readString()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            householdID: try required(hh, t, "householdID"), decision: try required(decision, t, "decision"),
            date: try required(date, t, "date"), bureau: bureau, householdType: type, measure: measure,
            inReplyTo: reply, source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("householdID", householdID)
        w.field("decision", decision.rawValue)
        w.field("date", date)
        w.field("bureau", bureau)
        w.field("householdType", householdType?.rawValue)
        w.field("measure", measure)
        w.field("inReplyTo", inReplyTo)
        source.write(to: &w)
        w.endObject()
    }
}

/// A policy document or project-archive record: metadata plus the SHA-256 of the file.
/// Subject: the document id.
public struct DocumentArchived: EventPayload, Equatable {
    public static let eventType = "DocumentArchived"
    public var documentID: String
    /// `policy` or `project`.
    public var category: String
    public var title: String
    public var date: String
    /// Project stage for project archives: research, meeting, funds, execution, beneficiaries.
    public var stage: String?
    public var sha256: String
    public var source: SourceRef

    public init(
        documentID: String, category: String, title: String, date: String, stage: String? = nil, sha256: String,
        source: SourceRef
    ) {
        self.documentID = documentID
        self.category = category
        self.title = title
        self.date = date
        self.stage = stage
        self.sha256 = sha256
        self.source = source
    }

    public init(json r: inout JSONReader) throws {
        let t = Self.eventType
        var id: String?, cat: String?, title = "", date: String?, stage: String?, sha: String?
        var source = SourceRef(file: "", line: 0)
        try r.readObject { r, k in
            switch k {
            case "documentID": id = try r.readString()
            case "category": cat = try r.readString()
            case "title": title = try r.readString()
            case "date": date = try r.readString()
            case "stage": stage = try r.readString()
            case "sha256": sha = try r.readString()
            case "source": source = try SourceRef.read(&r)
            default: try r.skipValue()
            }
        }
        self.init(
            documentID: try required(id, t, "documentID"), category: try required(cat, t, "category"), title: title,
            date: try required(date, t, "date"), stage: stage, sha256: try required(sha, t, "sha256"), source: source)
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("documentID", documentID)
        w.field("category", category)
        w.field("title", title)
        w.field("date", date)
        w.field("stage", stage)
        w.field("sha256", sha256)
        source.write(to: &w)
        w.endObject()
    }
}

/// A record intake refused, kept whole with the reason (in Chinese) so staff can fix and resubmit.
/// Subject: the file or endpoint name.
public struct RecordRejected: EventPayload, Equatable {
    public static let eventType = "RecordRejected"
    /// Record kind the submitter declared.
    public var kind: String
    public var file: String
    public var line: Int
    /// The field at fault (header name as in the file), or empty for whole-record problems.
    public var field: String
    /// Reason in Chinese, saying what happened and how to fix it.
    public var reason: String
    /// Stable machine code of the reason, e.g. `id.checksum`.
    public var code: String
    /// The raw record as read (decoded text). May hold personal data: never logged.
    public var raw: String

    public init(kind: String, file: String, line: Int, field: String, reason: String, code: String, raw: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.code = code
        self.raw = raw
    }

    public init(json r: inout JSONReader) throws {
        var s = RecordRejected(kind: "", file: "", line: 0, field: "", reason: "", code: "", raw: "")
        try r.readObject { r, k in
            switch k {
            case "kind": s.kind = try r.readString()
            case "file": s.file = try r.readString()
            case "line": s.line = try r.readInt()
            case "field": s.field = try r.readString()
            case "reason": s.reason = try r.readString()
            case "code": s.code = try r.readString()
            case "raw": s.raw = try r.readString()
            default: try r.skipValue()
            }
        }
        self = s
    }

    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("kind", kind)
        w.field("file", file)
        w.field("line", line)
        w.field("field", field)
        w.field("reason", reason)
        w.field("code", code)
        w.field("raw", raw)
        w.endObject()
    }
}
