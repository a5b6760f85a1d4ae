import GongguCore
import GongguEvents

/// The verifier's rules for one region and version (decoded from a merged rule document).
/// Every key is documented in `docs/RULES-verify.md`.
public struct VerifyRules: Sendable, Equatable {
    /// A monthly amount band (fen) outside which a payment is an anomaly.
    public struct Band: Sendable, Equatable {
        public var minFen: Int
        public var maxFen: Int
    }

    /// Months entitled and not receiving before an `EntitlementGap` is raised.
    public var gapMonths: Int
    /// Months without payment after the last one before a stop counts as a discontinuation.
    public var discontinuationMonths: Int
    /// Age from which a person is an adult (单人户施保).
    public var adultAge: Int
    /// Grade 3 intellectual or mental (and multiple) counts as severe.
    public var severeIncludesGrade3IntellectualMental: Bool
    /// Flag severely disabled adults of 低保边缘 households not covered (单人户施保).
    public var singlePersonDibao: Bool
    /// The 低保 line, fen per person per year, for the income test of 低保边缘 (set by each city or
    /// county and changed yearly: an effective-dated, per-region rule value).
    public var dibaoLineFenPerYear: Int
    /// Whether `dibaoLineFenPerYear` is an assumed figure still to be confirmed (findings say so).
    public var dibaoLineAssumed: Bool
    /// The upper bound of 低保边缘 as a percentage of the 低保 line (150: income below 1.5 × the line).
    public var dibaoMarginalUpperPercent: Int
    /// Living subsidy extension: disabled people in 低保边缘 households too.
    public var livingIncludesDibaoMarginal: Bool
    /// Nursing subsidy needs long-term care (grade 1–2 rule).
    public var nursingRequiresLongTermCare: Bool
    /// Nursing subsidy extension: grade 3–4 intellectual, mental, or multiple.
    public var nursingExtendedGrade3to4IntellectualMental: Bool
    /// Subsidies an old-age living/nursing allowance replaces (择高: the person keeps the higher one),
    /// as a bit set (bit 0 living, bit 1 nursing) so rules copy without reference counting.
    var oldAgeExcludeMask: UInt8
    public var oldAgeAllowanceExcludes: Set<SubsidyKind> { Set(SubsidyKind.allCases.filter(excludesForOldAge)) }
    public var livingBand: Band
    public var nursingBand: Band
    public var pensionMinAge: Int
    public var pensionMaxAge: Int
    /// Minimum government-paid premium per year, fen.
    public var pensionMinimumFen: Int
    /// Month of the year (1–12) by which the year's premium must be recorded.
    public var pensionDueMonth: Int
    public var rehabMinAge: Int
    public var rehabMaxAge: Int
    /// Categories covered by child rehabilitation, bit `rawValue`.
    var rehabCategoryMask: UInt8
    public var rehabCategories: Set<DisabilityCategory> { Set(DisabilityCategory.allCases.filter(rehabCovers)) }
    public var rehabIncludesAutism: Bool
    /// A rehabilitation service counts as receiving for this many months.
    public var rehabServiceWindowMonths: Int
    /// Check accessibility modification of severely disabled households.
    public var accessibility: Bool
    /// Evaluate gaps when the business month of payment data advances (besides clock ticks).
    public var evaluateOnDataMonth: Bool

    /// Whether an old-age allowance replaces this subsidy.
    public func excludesForOldAge(_ kind: SubsidyKind) -> Bool { oldAgeExcludeMask & (kind == .living ? 1 : 2) != 0 }

    /// The upper bound of 低保边缘 per-capita income, fen per year (exclusive).
    public var dibaoMarginalUpperFen: Int { dibaoLineFenPerYear * dibaoMarginalUpperPercent / 100 }

    /// Whether a per-capita yearly income makes a household 低保边缘 by the income test: not below the
    /// 低保 line (below it the household qualifies for 低保 itself) and below `marginalUpperPercent` of it
    /// (民政部《最低生活保障边缘家庭认定办法》: 不符合低保条件、人均收入低于低保标准1.5倍).
    public func isDibaoMarginal(perCapitaFen: Int) -> Bool {
        perCapitaFen >= dibaoLineFenPerYear && perCapitaFen < dibaoMarginalUpperFen
    }

    /// Whether child rehabilitation covers a category.
    public func rehabCovers(_ c: DisabilityCategory) -> Bool { rehabCategoryMask & (1 << UInt8(c.rawValue)) != 0 }

    /// The band for a subsidy kind.
    public func band(_ kind: SubsidyKind) -> Band { kind == .living ? livingBand : nursingBand }

    /// Whether a category/grade is severe under these rules.
    public func isSevere(category: DisabilityCategory?, grade: Int) -> Bool {
        if grade == 1 || grade == 2 { return true }
        if grade == 3, severeIncludesGrade3IntellectualMental, let c = category {
            return c == .intellectual || c == .mental || c == .multiple
        }
        return false
    }

    /// Rule set name in `RulesActivated` and rule documents.
    public static let ruleSet = Service.verify.rawValue

    /// Checks a whole rule document (envelope, defaults and every region override) without changing
    /// anything, so the service can refuse it with a clear message before logging it.
    public static func validate(document text: String) throws {
        let doc = try RuleDocument(text: text)
        var book = RuleBook<VerifyRules>(ruleSet: ruleSet, decode: VerifyRules.decode)
        try book.activate(doc)
    }

    /// A rule book holding the default document.
    public static func defaultBook() -> RuleBook<VerifyRules> {
        var book = RuleBook<VerifyRules>(ruleSet: ruleSet, decode: VerifyRules.decode)
        // The default document is part of the code and covered by tests: failing here is a build bug.
        try! book.activate(RuleDocument(text: defaultDocument))
        return book
    }

    /// The default rule document: Jilin (吉林), version 2025.1, effective 2021-01-01. Amount bands and
    /// switches marked *(assumed)* in docs/RULES-verify.md must be confirmed by each deployment.
    public static let defaultDocument = """
        {
          "ruleSet": "verify",
          "version": "2025.1",
          "effectiveFrom": "2021-01-01",
          "defaults": {
            "gapMonths": 3,
            "discontinuationMonths": 2,
            "evaluateOnDataMonth": true,
            "adultAge": 18,
            "severe": { "includeGrade3IntellectualMental": false },
            "dibao": {
              "singlePersonForSevereAdults": true,
              "lineFenPerYear": 540000,
              "lineAssumed": true,
              "marginalUpperPercent": 150
            },
            "living": { "includeDibaoMarginal": false, "band": { "minFen": 5000, "maxFen": 20000 } },
            "nursing": {
              "requireLongTermCare": true,
              "extendGrade3to4IntellectualMental": false,
              "band": { "minFen": 5000, "maxFen": 20000 }
            },
            "exclusions": { "oldAgeAllowanceExcludes": ["living", "nursing"] },
            "pension": { "minAge": 16, "maxAge": 59, "minimumFen": 10000, "dueMonth": 12 },
            "childRehabilitation": {
              "minAge": 0, "maxAge": 6, "categories": [1, 2, 3, 4, 5], "includeAutism": true,
              "serviceWindowMonths": 12
            },
            "accessibility": { "enabled": true }
          },
          "regions": {}
        }
        """

    /// Decodes a merged rule object, refusing unknown keys (a typo must not silently keep a default)
    /// and values out of range.
    public static func decode(_ v: JSONValue) throws -> VerifyRules {
        var o = try Obj(v, "defaults")
        let severe = try o.obj("severe"), dibao = try o.obj("dibao"), living = try o.obj("living")
        let nursing = try o.obj("nursing"), excl = try o.obj("exclusions"), pension = try o.obj("pension")
        let rehab = try o.obj("childRehabilitation"), access = try o.obj("accessibility")
        var r = VerifyRules(
            gapMonths: try o.int("gapMonths", 1...120),
            discontinuationMonths: try o.int("discontinuationMonths", 1...120),
            adultAge: try o.int("adultAge", 14...25),
            severeIncludesGrade3IntellectualMental: false, singlePersonDibao: false, dibaoLineFenPerYear: 0,
            dibaoLineAssumed: false, dibaoMarginalUpperPercent: 150,
            livingIncludesDibaoMarginal: false, nursingRequiresLongTermCare: true,
            nursingExtendedGrade3to4IntellectualMental: false, oldAgeExcludeMask: 0,
            livingBand: Band(minFen: 0, maxFen: 0), nursingBand: Band(minFen: 0, maxFen: 0),
            pensionMinAge: 0, pensionMaxAge: 0, pensionMinimumFen: 0, pensionDueMonth: 12,
            rehabMinAge: 0, rehabMaxAge: 0, rehabCategoryMask: 0, rehabIncludesAutism: true,
            rehabServiceWindowMonths: 12, accessibility: true,
            evaluateOnDataMonth: try o.bool("evaluateOnDataMonth"))
        var s = severe
        r.severeIncludesGrade3IntellectualMental = try s.bool("includeGrade3IntellectualMental")
        try s.finish()
        var d = dibao
        r.singlePersonDibao = try d.bool("singlePersonForSevereAdults")
        r.dibaoLineFenPerYear = try d.int("lineFenPerYear", 0...100_000_000)
        r.dibaoLineAssumed = try d.bool("lineAssumed")
        r.dibaoMarginalUpperPercent = try d.int("marginalUpperPercent", 100...300)
        try d.finish()
        var l = living
        r.livingIncludesDibaoMarginal = try l.bool("includeDibaoMarginal")
        r.livingBand = try l.band("band")
        try l.finish()
        var n = nursing
        r.nursingRequiresLongTermCare = try n.bool("requireLongTermCare")
        r.nursingExtendedGrade3to4IntellectualMental = try n.bool("extendGrade3to4IntellectualMental")
        r.nursingBand = try n.band("band")
        try n.finish()
        var e = excl
        for name in try e.array("oldAgeAllowanceExcludes", of: \.stringValue) {
            guard let k = SubsidyKind(rawValue: name) else {
                throw RuleError.invalid("exclusions.oldAgeAllowanceExcludes", name)
            }
            r.oldAgeExcludeMask |= k == .living ? 1 : 2
        }
        try e.finish()
        var p = pension
        r.pensionMinAge = try p.int("minAge", 0...120)
        r.pensionMaxAge = try p.int("maxAge", r.pensionMinAge...120)
        r.pensionMinimumFen = try p.int("minimumFen", 0...100_000_000)
        r.pensionDueMonth = try p.int("dueMonth", 1...12)
        try p.finish()
        var c = rehab
        r.rehabMinAge = try c.int("minAge", 0...18)
        r.rehabMaxAge = try c.int("maxAge", r.rehabMinAge...18)
        for code in try c.array("categories", of: \.intValue) {
            guard let cat = DisabilityCategory(rawValue: code) else {
                throw RuleError.invalid("childRehabilitation.categories", "\(code)")
            }
            r.rehabCategoryMask |= 1 << UInt8(cat.rawValue)
        }
        r.rehabIncludesAutism = try c.bool("includeAutism")
        r.rehabServiceWindowMonths = try c.int("serviceWindowMonths", 1...60)
        try c.finish()
        var a = access
        r.accessibility = try a.bool("enabled")
        try a.finish()
        try o.finish()
        return r
    }
}

/// A strict reader over one rule object: every key must be read exactly once, so unknown keys fail.
private struct Obj {
    let path: String
    var fields: [(String, JSONValue)]

    init(_ v: JSONValue, _ path: String) throws {
        guard let f = v.objectValue else { throw RuleError.invalid(path, "not an object") }
        self.path = path
        fields = f
    }

    private func name(_ key: String) -> String { path == "defaults" ? key : "\(path).\(key)" }

    private mutating func take(_ key: String) throws -> JSONValue {
        guard let i = fields.firstIndex(where: { $0.0 == key }) else { throw RuleError.missing(name(key)) }
        return fields.remove(at: i).1
    }

    mutating func obj(_ key: String) throws -> Obj { try Obj(try take(key), name(key)) }

    mutating func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
        let v = try take(key)
        guard let i = v.intValue, range.contains(i) else {
            throw RuleError.invalid(name(key), "\(v.jsonString) (expected \(range.lowerBound)…\(range.upperBound))")
        }
        return i
    }

    mutating func bool(_ key: String) throws -> Bool {
        let v = try take(key)
        guard let b = v.boolValue else { throw RuleError.invalid(name(key), "\(v.jsonString) (expected true/false)") }
        return b
    }

    /// An array whose every item `item` reads (`\.stringValue`, `\.intValue`).
    mutating func array<T>(_ key: String, of item: (JSONValue) -> T?) throws -> [T] {
        let v = try take(key)
        guard let a = v.arrayValue else { throw RuleError.invalid(name(key), "not an array") }
        return try a.map {
            guard let x = item($0) else { throw RuleError.invalid(name(key), $0.jsonString) }
            return x
        }
    }

    mutating func band(_ key: String) throws -> VerifyRules.Band {
        var b = try obj(key)
        let lo = try b.int("minFen", 0...100_000_000)
        let hi = try b.int("maxFen", lo...100_000_000)
        try b.finish()
        return VerifyRules.Band(minFen: lo, maxFen: hi)
    }

    func finish() throws {
        if let (k, _) = fields.first { throw RuleError.invalid(name(k), "unknown key") }
    }
}
