import GongguCore
import GongguEvents

/// The risk monitor's rules, decoded from the merged `defaults` (plus region overrides) of a rule
/// document. Every threshold is data; docs/RULES-risk.md documents each key. A final class with
/// constant fields: decoded once per version and region at activation, then shared without copying.
public final class RiskRules: Sendable {
    /// Monitoring line, per-capita net income per year in fen, by year (sorted by year).
    public let monitoringLineFen: [(year: Int, fen: Int)]
    /// A year-on-year fall of per-capita income of at least this percentage is a sharp fall.
    public let sharpFallPercent: Int
    /// Income below this percentage of the line makes a non-脱贫 household 边缘易致贫户 when recommended.
    public let marginalPercent: Int
    /// Which of 边缘易致贫户 and 突发严重困难户 a non-脱贫 household is suggested when the conditions of both
    /// hold: the first in this order whose condition holds (`householdType.precedence`).
    public let typePrecedence: [PovertyStatus]
    /// Inpatient self-paid spending per calendar year that raises risk for a 脱贫户 (or 脱贫不稳定户), fen.
    public let inpatientLiftedFen: Int
    /// The same for every other household, fen.
    public let inpatientOtherFen: Int
    /// Outpatient self-paid spending per calendar month, fen.
    public let outpatientMonthlyFen: Int
    /// Schooling costs per calendar year, fen.
    public let schoolingYearlyFen: Int
    /// Disaster losses per calendar year, fen.
    public let disasterFen: Int
    /// Accident losses per calendar year, fen.
    public let accidentFen: Int
    /// Days a windowed signal (expenses, disaster, accident, disability, self-application) stays active.
    public let signalWindowDays: Int
    /// Weight of each signal, indexed by `RiskSignal.rawValue`.
    public let weights: [Int]
    /// Minimum score for low, medium, high.
    public let levelCutoffs: (low: Int, medium: Int, high: Int)
    /// Level from which inclusion in monitoring is recommended.
    public let recommendAtLevel: RiskLevel
    /// Risk type code of each signal, indexed by `RiskSignal.rawValue`.
    public let riskTypes: [String]
    /// Risk type code of each home-visit hardship indicator (others: `otherRiskType`).
    public let hardshipTypes: [String: String]
    /// Code for anything not mapped.
    public let otherRiskType: String
    /// Chinese names of risk type codes.
    public let riskTypeNames: [String: String]
    /// Elimination: months monitored.
    public let minMonitoredMonths: Int
    /// Elimination: months income has stood at or above the line.
    public let minIncomeAboveMonths: Int
    /// Elimination: months without a large-expense signal.
    public let expenseResolvedMonths: Int
    /// Elimination: hardship indicators that, in the latest visit, mean schooling/medical/housing/water
    /// are not secured.
    public let securedIndicators: [String]
    /// Days after which an unanswered recommendation is raised again (and every such period after).
    public let overdueDays: Int
    /// Days of monitoring without any assistance measure after which a finding is raised.
    public let withoutAssistanceDays: Int

    /// The monitoring line of `year`: that year's value, else the latest earlier year, else the earliest.
    public func monitoringLine(year: Int) -> Int {
        var line = monitoringLineFen[0].fen
        for entry in monitoringLineFen where entry.year <= year { line = entry.fen }
        return line
    }

    /// The level of a score.
    public func level(score: Int) -> RiskLevel {
        if score >= levelCutoffs.high { return .high }
        if score >= levelCutoffs.medium { return .medium }
        if score >= levelCutoffs.low { return .low }
        return .none
    }

    /// The Chinese name of a risk type code, e.g. `01` → `因病`.
    public func typeName(_ code: String) -> String { riskTypeNames[code] ?? "其他" }

    /// Decodes merged rules, refusing missing or unusable values with `RuleError`.
    public init(json v: JSONValue) throws {
        guard let lines = try Self.required(v, ["monitoringLineFen"]).objectValue, !lines.isEmpty else {
            throw RuleError.invalid("monitoringLineFen", "an object of years → fen with at least one year expected")
        }
        var parsed: [(Int, Int)] = []
        for (year, value) in lines {
            guard year.count == 4, let y = Int(year), (2000...2100).contains(y) else {
                throw RuleError.invalid("monitoringLineFen", year)
            }
            guard let fen = value.intValue, fen > 0 else {
                throw RuleError.invalid("monitoringLineFen.\(year)", "\(value)")
            }
            parsed.append((y, fen))
        }
        monitoringLineFen = parsed.sorted { $0.0 < $1.0 }.map { (year: $0.0, fen: $0.1) }

        func int(_ path: String..., min: Int = 0) throws -> Int {
            let node = try Self.required(v, path)
            let name = path.joined(separator: ".")
            guard let i = node.intValue, i >= min else { throw RuleError.invalid(name, node.jsonString) }
            return i
        }
        sharpFallPercent = try int("income", "sharpFallPercent", min: 1)
        guard sharpFallPercent <= 100 else { throw RuleError.invalid("income.sharpFallPercent", "\(sharpFallPercent)") }
        marginalPercent = try int("income", "marginalPercent", min: 100)
        let precedence = try Self.required(v, ["householdType", "precedence"])
        let order = precedence.arrayValue?.compactMap { $0.stringValue.flatMap(PovertyStatus.init(rawValue:)) } ?? []
        guard order.count == 2, Set(order) == [.monitoredMarginal, .monitoredSudden] else {
            throw RuleError.invalid(
                "householdType.precedence", "\(precedence.jsonString) (expected monitoredMarginal and monitoredSudden, each once)")
        }
        typePrecedence = order
        inpatientLiftedFen = try int("expenses", "inpatientLiftedFen", min: 1)
        inpatientOtherFen = try int("expenses", "inpatientOtherFen", min: 1)
        outpatientMonthlyFen = try int("expenses", "outpatientMonthlyFen", min: 1)
        schoolingYearlyFen = try int("expenses", "schoolingYearlyFen", min: 1)
        disasterFen = try int("expenses", "disasterFen", min: 1)
        accidentFen = try int("expenses", "accidentFen", min: 1)
        signalWindowDays = try int("signalWindowDays", min: 1)

        var weights: [Int] = []
        var riskTypes: [String] = []
        for s in RiskSignal.allCases {
            weights.append(try int("weights", s.key))
            let code = try Self.required(v, ["riskTypes", s.key])
            guard let c = code.stringValue, Self.isTypeCode(c) else {
                throw RuleError.invalid("riskTypes.\(s.key)", code.jsonString)
            }
            riskTypes.append(c)
        }
        self.weights = weights
        self.riskTypes = riskTypes
        let low = try int("levels", "low", min: 1)
        let medium = try int("levels", "medium", min: 1)
        let high = try int("levels", "high", min: 1)
        guard low <= medium, medium <= high else {
            throw RuleError.invalid("levels", "low ≤ medium ≤ high required (\(low), \(medium), \(high))")
        }
        levelCutoffs = (low, medium, high)
        guard let at = v["recommendAtLevel"] else { throw RuleError.missing("recommendAtLevel") }
        guard let s = at.stringValue, let level = RiskLevel(key: s), level != .none else {
            throw RuleError.invalid("recommendAtLevel", at.jsonString)
        }
        recommendAtLevel = level

        var hardshipTypes: [String: String] = [:]
        if let h = v["hardshipTypes"] {
            guard let fields = h.objectValue else { throw RuleError.invalid("hardshipTypes", "not an object") }
            for (k, code) in fields {
                guard let c = code.stringValue, Self.isTypeCode(c) else {
                    throw RuleError.invalid("hardshipTypes.\(k)", code.jsonString)
                }
                hardshipTypes[k] = c
            }
        }
        self.hardshipTypes = hardshipTypes
        let otherValue = try Self.required(v, ["otherRiskType"])
        guard let other = otherValue.stringValue, Self.isTypeCode(other) else {
            throw RuleError.invalid("otherRiskType", otherValue.jsonString)
        }
        otherRiskType = other
        var riskTypeNames: [String: String] = [:]
        guard let names = try Self.required(v, ["riskTypeNames"]).objectValue else {
            throw RuleError.invalid("riskTypeNames", "not an object")
        }
        for (code, name) in names {
            guard Self.isTypeCode(code), let n = name.stringValue, !n.isEmpty else {
                throw RuleError.invalid("riskTypeNames.\(code)", name.jsonString)
            }
            riskTypeNames[code] = n
        }
        self.riskTypeNames = riskTypeNames

        minMonitoredMonths = try int("elimination", "minMonitoredMonths", min: 1)
        minIncomeAboveMonths = try int("elimination", "minIncomeAboveMonths", min: 1)
        expenseResolvedMonths = try int("elimination", "expenseResolvedMonths", min: 1)
        guard let secured = try Self.required(v, ["elimination", "securedIndicators"]).arrayValue else {
            throw RuleError.invalid("elimination.securedIndicators", "not an array")
        }
        securedIndicators = try secured.map {
            guard let s = $0.stringValue, !s.isEmpty else {
                throw RuleError.invalid("elimination.securedIndicators", $0.jsonString)
            }
            return s
        }
        overdueDays = try int("followUp", "overdueDays", min: 1)
        withoutAssistanceDays = try int("followUp", "withoutAssistanceDays", min: 1)
    }

    /// The value at `path`, or `RuleError.missing` naming the first key that is absent (`income` when
    /// the whole `income` object is missing, `income.marginalPercent` when only that key is), or
    /// `RuleError.invalid` when a key on the way holds something other than an object.
    static func required(_ root: JSONValue, _ path: [String]) throws -> JSONValue {
        var node = root
        for (i, key) in path.enumerated() {
            guard node.objectValue != nil else {
                throw RuleError.invalid(path[..<i].joined(separator: "."), "not an object")
            }
            guard let next = node[key] else { throw RuleError.missing(path[...i].joined(separator: ".")) }
            node = next
        }
        return node
    }

    /// Risk type codes are 2–4 ASCII digits (`01`, `0201`, `99`).
    static func isTypeCode(_ s: String) -> Bool {
        (2...4).contains(s.utf8.count) && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// An empty rule book for the `risk` rule set.
    public static func makeBook() -> RuleBook<RiskRules> {
        RuleBook(ruleSet: Service.risk.rawValue) { try RiskRules(json: $0) }
    }

    /// Checks a rule document completely (envelope, defaults and every region override) without
    /// activating it, so the service can refuse it with a clear message before logging it.
    public static func validate(document text: String) throws {
        var book = makeBook()
        try book.activate(try RuleDocument(text: text))
    }
}
