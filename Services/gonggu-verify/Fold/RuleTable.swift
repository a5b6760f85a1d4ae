import GongguCore

/// The activated rule versions, decoded per configured prefix, with a non-generic lookup: the fold
/// asks for rules on every payment, and `RuleBook.rules` (generic, scanning prefixes) showed up as a
/// fifth of the fold's time in profiles. Documents are validated through `RuleBook` first.
struct RuleTable {
    /// Memo of region → index into `rules`; a pure function of the version, so sharing it between
    /// copies of the fold is harmless.
    final class Memo: @unchecked Sendable {
        var map: [String: Int] = [:]
    }

    struct Version {
        let day: Int
        let label: String
        /// Configured prefixes, longest first; `rules[k + 1]` belongs to `prefixes[k]`, `rules[0]` is the default.
        let prefixes: [String]
        let rules: [VerifyRules]
        let memo = Memo()
    }

    private(set) var versions: [Version] = []

    /// Decodes and adds a document (throws `RuleError` and changes nothing when invalid).
    mutating func add(_ doc: RuleDocument) throws {
        var check = RuleBook<VerifyRules>(ruleSet: VerifyRules.ruleSet, decode: VerifyRules.decode)
        try check.activate(doc)
        let prefixes = doc.regions.map(\.prefix).sorted { $0.count > $1.count }
        var rules = [try VerifyRules.decode(doc.defaults)]
        for p in prefixes { rules.append(try VerifyRules.decode(doc.merged(for: p))) }
        let day = BusinessCalendar.dayNumber(doc.effectiveFrom)!
        let index = versions.firstIndex { $0.day > day } ?? versions.endIndex
        versions.insert(Version(day: day, label: doc.version, prefixes: prefixes, rules: rules), at: index)
    }

    /// The rules in force for `region` on `day` (before the first version, the first version applies).
    func lookup(region: String, day: Int) -> (rules: VerifyRules, version: String) {
        var k = versions.count - 1
        while k > 0, versions[k].day > day { k -= 1 }
        let v = versions[k]
        if v.prefixes.isEmpty { return (v.rules[0], v.label) }
        if let i = v.memo.map[region] { return (v.rules[i], v.label) }
        let i = (v.prefixes.firstIndex { region.hasPrefix($0) }).map { $0 + 1 } ?? 0
        v.memo.map[region] = i
        return (v.rules[i], v.label)
    }
}
