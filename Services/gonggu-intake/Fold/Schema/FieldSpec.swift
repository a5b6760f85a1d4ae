/// One field (column) of a record kind: the canonical English name used in payloads, the
/// preferred Chinese header, every accepted header alias, and whether it is required.
public struct FieldSpec: Sendable, Equatable {
    /// Canonical English name (also accepted as a header).
    public let name: String
    /// Preferred Chinese header (also accepted), used when naming a missing column.
    public let chinese: String
    /// Further accepted header names, Chinese or English.
    public let aliases: [String]
    /// A required field: its column must exist (CSV) and its value must not be empty.
    public let required: Bool
    /// Free text (notes): keeps TAB and line breaks and invisible format characters, which every
    /// other field refuses (`ValueCharacters`).
    public let freeText: Bool

    public init(_ name: String, _ chinese: String, _ aliases: [String], required: Bool, freeText: Bool = false) {
        self.name = name
        self.chinese = chinese
        self.aliases = aliases
        self.required = required
        self.freeText = freeText
    }

    /// Every header name that maps to this field, canonical and Chinese first.
    public var allNames: [String] { [chinese, name] + aliases }
}

/// A field enumeration of one kind: cases in column-slot order, `specs` in the same order.
protocol KindField: CaseIterable, RawRepresentable where RawValue == Int {
    static var specs: [FieldSpec] { get }
}

extension KindField {
    var spec: FieldSpec { Self.specs[rawValue] }
}

/// Header-name normalisation, so `身份证号`, ` *身份证号 `, `ID_Number` and `id number` compare
/// as intended: trims white space (also U+3000 and a BOM), drops a leading `*` (required-column
/// marker in templates) and a trailing unit in parentheses (`家庭纯收入（元）`), lowercases ASCII and
/// removes spaces, `_`, `-` and `.`.
public enum HeaderName {
    public static func normalise(_ header: String) -> String {
        var scalars = Array(header.unicodeScalars)
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s == " " || s == "\t" || s == "\u{3000}" || s == "\u{FEFF}" || s == "\u{A0}" || s == "\r" || s == "\n"
        }
        while let f = scalars.first, isSpace(f) || f == "*" || f == "＊" { scalars.removeFirst() }
        while let l = scalars.last, isSpace(l) { scalars.removeLast() }
        if let last = scalars.last, last == ")" || last == "）" {
            if let open = scalars.lastIndex(where: { $0 == "(" || $0 == "（" }), open > 0 {
                scalars.removeSubrange(open...)
            }
        }
        var out = String.UnicodeScalarView()
        for s in scalars {
            if isSpace(s) || s == "_" || s == "-" || s == "." { continue }
            if s.isASCII, s.properties.isUppercase {
                out.append(Unicode.Scalar(s.value + 32)!)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
