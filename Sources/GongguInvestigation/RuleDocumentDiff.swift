import GongguCore

/// One rule key whose value differs between two rule documents.
public struct RuleKeyChange: Sendable, Equatable {
    /// Dotted path as written in the document: `defaults.monitoringLineFen.2025`,
    /// `regions.2202.nursing.extendGrade3to4IntellectualMental`.
    public var path: String
    /// The region prefix the key belongs to (nil: `defaults`, the whole province).
    public var region: String?
    /// Compact JSON of the value in each document (nil: absent there).
    public var old: String?
    public var new: String?

    /// Whether the key can matter for a household in `region` (defaults, or an override whose prefix
    /// the region starts with).
    public func applies(to householdRegion: String) -> Bool {
        guard let region else { return true }
        return householdRegion.hasPrefix(region)
    }

    /// `path：old → new`, with `（无）` for an absent value.
    public var chinese: String { "\(path)：\(old ?? "（无）") → \(new ?? "（无）")" }
}

/// The keys that differ between two rule documents of one rule set: both JSON documents are walked
/// leaf by leaf under `defaults` and `regions` (the envelope's `version` and `effectiveFrom` are told
/// apart by the caller). Arrays compare as whole values.
public enum RuleDocumentDiff {
    /// Changed leaves, sorted by path.
    public static func changes(from old: RuleDocument, to new: RuleDocument) -> [RuleKeyChange] {
        var out: [RuleKeyChange] = []
        walk(old.defaults, new.defaults, path: "defaults", region: nil, into: &out)
        let prefixes = Set(old.regions.map(\.prefix)).union(new.regions.map(\.prefix))
        for prefix in prefixes.sorted() {
            let a = old.regions.first { $0.prefix == prefix }?.override
            let b = new.regions.first { $0.prefix == prefix }?.override
            walk(a, b, path: "regions.\(prefix)", region: prefix, into: &out)
        }
        return out.sorted { $0.path < $1.path }
    }

    private static func walk(
        _ a: JSONValue?, _ b: JSONValue?, path: String, region: String?, into out: inout [RuleKeyChange]
    ) {
        if case let .object(fa)? = a, case let .object(fb)? = b {
            var keys = fa.map(\.0)
            for (k, _) in fb where !keys.contains(k) { keys.append(k) }
            for k in keys {
                walk(
                    fa.first { $0.0 == k }?.1, fb.first { $0.0 == k }?.1, path: "\(path).\(k)", region: region,
                    into: &out)
            }
            return
        }
        // An object on one side only: its leaves appear or disappear one by one.
        if case let .object(fa)? = a, b == nil {
            for (k, v) in fa { walk(v, nil, path: "\(path).\(k)", region: region, into: &out) }
            return
        }
        if case let .object(fb)? = b, a == nil {
            for (k, v) in fb { walk(nil, v, path: "\(path).\(k)", region: region, into: &out) }
            return
        }
        let old = a.map(compact)
        let new = b.map(compact)
        if old != new { out.append(RuleKeyChange(path: path, region: region, old: old, new: new)) }
    }

    /// Compact JSON text of a leaf (numbers without a fraction as integers).
    static func compact(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case let .string(s): return "\"\(s)\""
        case let .array(a): return "[" + a.map(compact).joined(separator: ",") + "]"
        case let .object(f): return "{" + f.map { "\"\($0.0)\":\(compact($0.1))" }.joined(separator: ",") + "}"
        }
    }
}
