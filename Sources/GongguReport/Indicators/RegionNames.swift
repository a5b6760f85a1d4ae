/// Chinese names of region codes for the report's tables. The province and prefecture names of Jilin
/// are built in (docs/INTAKE.md §4); others, counties included, come from a `code,name` file the user gives,
/// and a code without a name is shown as the code.
public struct RegionNames: Sendable {
    public private(set) var names: [String: String]

    /// Jilin's province and prefecture names (docs/INTAKE.md §4).
    public static let jilin: [String: String] = [
        "22": "吉林省", "2201": "长春市", "2202": "吉林市", "2203": "四平市", "2204": "辽源市", "2205": "通化市",
        "2206": "白山市", "2207": "松原市", "2208": "白城市", "2224": "延边朝鲜族自治州",
    ]

    public init(_ extra: [String: String] = [:]) {
        names = Self.jilin.merging(extra) { _, new in new }
    }

    /// Reads `code,name` lines (UTF-8, optional BOM and header); lines whose first field is not all
    /// digits are skipped.
    public init(csv text: String) {
        var extra: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",", maxSplits: 1).map(Self.trim)
            guard fields.count == 2, !fields[0].isEmpty, fields[0].allSatisfy({ $0.isASCII && $0.isNumber }),
                !fields[1].isEmpty
            else { continue }
            extra[fields[0]] = fields[1]
        }
        self.init(extra)
    }

    private static func trim(_ s: Substring) -> String {
        var s = s
        while let f = s.first, f == " " || f == "\t" || f == "\u{FEFF}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    /// These names with `extra` added (an extra name replaces a built-in one).
    public func adding(_ extra: [String: String]) -> RegionNames {
        var copy = self
        copy.names.merge(extra) { _, new in new }
        return copy
    }

    /// The name of `code`, or the code itself.
    public func name(_ code: String) -> String { names[code] ?? code }

    /// Whether a name is known for `code`.
    public func has(_ code: String) -> Bool { names[code] != nil }
}
