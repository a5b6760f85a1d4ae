/// Which region codes a deployment accepts (docs/INTAKE.md §4): 12-digit 统计用区划代码 under a configured
/// province prefix (Jilin `22`), plus configured pseudo-code prefixes for units without an
/// official code (长白山管委会). Configuration, not a constant.
public struct RegionPolicy: Sendable, Equatable {
    /// Province prefixes (2 digits), e.g. `["22"]`.
    public var provincePrefixes: [String]
    /// Further accepted prefixes of configured pseudo-codes (any length up to 12 digits).
    public var pseudoPrefixes: [String]

    public init(provincePrefixes: [String], pseudoPrefixes: [String] = []) {
        self.provincePrefixes = provincePrefixes
        self.pseudoPrefixes = pseudoPrefixes
    }

    /// Jilin (22) with no pseudo-codes.
    public static let jilin = RegionPolicy(provincePrefixes: ["22"])

    /// The region used for events that have none of their own (rejected records whose region is
    /// unreadable, province-wide documents): the first province prefix.
    public var defaultRegion: String { provincePrefixes.first ?? "" }

    /// Whether a code (12 digits, or a jurisdiction prefix) lies in the configured area.
    public func allows(_ code: String) -> Bool {
        provincePrefixes.contains { code.hasPrefix($0) } || pseudoPrefixes.contains { code.hasPrefix($0) }
    }
}
