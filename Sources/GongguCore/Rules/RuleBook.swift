/// Versioned, effective-dated rules per region prefix (docs/RULES-risk.md §1: "every threshold, amount and optional
/// extension is configuration: versioned, effective-dated, per region prefix").
///
/// A rule document is JSON:
/// ```json
/// { "ruleSet": "risk", "version": "2025.1", "effectiveFrom": "2025-01-01",
///   "defaults": { ... the whole rule set ... },
///   "regions": { "2201": { ... partial overrides for prefecture 2201 ... },
///                "220102": { ... deeper prefixes override shallower ones ... } } }
/// ```
/// Overrides are deep-merged into `defaults` (objects merge key by key, anything else replaces), the
/// longest matching prefix last. Each domain decodes the merged object into its own typed rules.
public struct RuleDocument: Sendable {
    public let ruleSet: String
    public let version: String
    /// Business date `YYYY-MM-DD` from which this version applies.
    public let effectiveFrom: String
    public let defaults: JSONValue
    /// Region prefix → partial override, sorted shortest prefix first.
    public let regions: [(prefix: String, override: JSONValue)]
    /// The document text as loaded (what `RulesActivated` carries).
    public let text: String

    /// Parses and checks the envelope of a rule document; domain checks come after (`RuleBook.activate`).
    public init(text: String) throws {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch { throw RuleError.malformed("\(error)") }
        guard case .object = value else { throw RuleError.malformed("the document must be a JSON object") }
        guard let set = value["ruleSet"]?.stringValue, !set.isEmpty else { throw RuleError.missing("ruleSet") }
        guard let version = value["version"]?.stringValue, !version.isEmpty else { throw RuleError.missing("version") }
        guard let from = value["effectiveFrom"]?.stringValue else { throw RuleError.missing("effectiveFrom") }
        guard BusinessCalendar.dayNumber(from) != nil else { throw RuleError.invalid("effectiveFrom", from) }
        guard let defaults = value["defaults"], case .object = defaults else { throw RuleError.missing("defaults") }
        var regions: [(String, JSONValue)] = []
        if let r = value["regions"] {
            guard let fields = r.objectValue else { throw RuleError.invalid("regions", "not an object") }
            for (prefix, override) in fields {
                guard !prefix.isEmpty, prefix.count <= 12, prefix.allSatisfy(\.isASCII), prefix.allSatisfy(\.isNumber)
                else { throw RuleError.invalid("regions", prefix) }
                guard case .object = override else { throw RuleError.invalid("regions.\(prefix)", "not an object") }
                regions.append((prefix, override))
            }
        }
        ruleSet = set
        self.version = version
        effectiveFrom = from
        self.defaults = defaults
        self.regions = regions.sorted { $0.0.count < $1.0.count }
        self.text = text
    }

    /// The merged rule object in force for `region`.
    public func merged(for region: String) -> JSONValue {
        var result = defaults
        for (prefix, override) in regions where region.hasPrefix(prefix) {
            result = Self.deepMerge(result, override)
        }
        return result
    }

    /// Deep merge: objects merge key by key; any other value in `override` replaces.
    public static func deepMerge(_ base: JSONValue, _ override: JSONValue) -> JSONValue {
        guard case let .object(b) = base, case let .object(o) = override else { return override }
        var fields = b
        for (k, v) in o {
            if let i = fields.firstIndex(where: { $0.0 == k }) {
                fields[i].1 = deepMerge(fields[i].1, v)
            } else {
                fields.append((k, v))
            }
        }
        return .object(fields)
    }
}

/// Why a rule document was refused. The running version stays in force.
public enum RuleError: Error, Equatable, CustomStringConvertible {
    /// Not JSON, or not an object.
    case malformed(String)
    /// A required key is absent.
    case missing(String)
    /// A key has an unusable value.
    case invalid(String, String)
    /// The document's rule set is not the one this service runs.
    case wrongRuleSet(expected: String, found: String)

    public var description: String {
        switch self {
        case let .malformed(why): return "rule document is malformed: \(why)"
        case let .missing(key): return "rule document lacks '\(key)'"
        case let .invalid(key, value): return "rule document has an invalid '\(key)': \(value)"
        case let .wrongRuleSet(e, f): return "rule document is for rule set '\(f)', expected '\(e)'"
        }
    }

    /// The key path this error names (dotted, from the top of the document), if any.
    public var key: String? {
        switch self {
        case .malformed, .wrongRuleSet: return nil
        case let .missing(key), let .invalid(key, _): return key
        }
    }

    /// The same error with its key placed under `prefix` (e.g. `defaults`, `regions.2201`), so the
    /// message names the key as it is written in the document.
    public func under(_ prefix: String) -> RuleError {
        switch self {
        case .malformed, .wrongRuleSet: return self
        case let .missing(key): return .missing("\(prefix).\(key)")
        case let .invalid(key, value): return .invalid("\(prefix).\(key)", value)
        }
    }

    /// The same, in Chinese, for staff.
    public var chinese: String {
        switch self {
        case let .malformed(why): return "规则文件格式错误：\(why)"
        case let .missing(key): return "规则文件缺少“\(key)”"
        case let .invalid(key, value): return "规则文件中“\(key)”的值无效：\(value)"
        case let .wrongRuleSet(e, f): return "规则文件属于“\(f)”，本服务需要“\(e)”"
        }
    }
}

/// All activated versions of one rule set, each decoded per region on demand and cached.
///
/// `R` is the domain's typed rules; `decode` turns a merged JSON object into it (throwing `RuleError`
/// for invalid values). Lookup picks the latest version whose `effectiveFrom` ≤ the event's date.
public struct RuleBook<R> {
    public struct Version {
        public let document: RuleDocument
        /// Day number of `effectiveFrom`.
        public let day: Int
        fileprivate var cache: [String: R]
    }

    public let ruleSet: String
    private let decode: (JSONValue) throws -> R
    /// Versions in activation order, sorted by effective day (stable for equal days: later wins).
    public private(set) var versions: [Version] = []

    public init(ruleSet: String, decode: @escaping (JSONValue) throws -> R) {
        self.ruleSet = ruleSet
        self.decode = decode
    }

    /// Validates `document` (decoding its defaults and every region override) and adds it. Throws
    /// without changing the book when anything is invalid.
    public mutating func activate(_ document: RuleDocument) throws {
        guard document.ruleSet == ruleSet else {
            throw RuleError.wrongRuleSet(expected: ruleSet, found: document.ruleSet)
        }
        // Decoders name keys relative to the merged rule object; errors name them as written in the
        // document (`defaults.income.sharpFallPercent`, `regions.2201.followUp.overdueDays`).
        func decode(_ value: JSONValue, under prefix: String) throws -> R {
            do { return try self.decode(value) } catch let e as RuleError { throw e.under(prefix) }
        }
        var cache: [String: R] = [:]
        cache[""] = try decode(document.defaults, under: "defaults")
        for (prefix, _) in document.regions {
            cache[prefix] = try decode(document.merged(for: prefix), under: "regions.\(prefix)")
        }
        let day = BusinessCalendar.dayNumber(document.effectiveFrom)!
        let index = versions.firstIndex { $0.day > day } ?? versions.endIndex
        versions.insert(Version(document: document, day: day, cache: cache), at: index)
    }

    /// The rules in force for `region` on business day `day`, with the version label; nil if no
    /// version is effective yet.
    public func rules(region: String, day: Int) -> (rules: R, version: String)? {
        guard let v = versions.last(where: { $0.day <= day }) else { return nil }
        // The most specific configured prefix decides; its merged rules were decoded at activation.
        var best = ""
        for (prefix, _) in v.document.regions where region.hasPrefix(prefix) && prefix.count > best.count {
            best = prefix
        }
        return (v.cache[best]!, v.document.version)
    }
}
