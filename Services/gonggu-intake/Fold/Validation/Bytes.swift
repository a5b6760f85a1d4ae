/// Small byte-level helpers over UTF-8 field values, so validation does not build strings for
/// values it only inspects.
typealias Bytes = UnsafeBufferPointer<UInt8>

enum ByteText {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    /// The value without leading and trailing white space (ASCII blanks, NBSP U+00A0, U+3000).
    static func trim(_ v: Bytes) -> Bytes {
        var s = 0, e = v.count
        while s < e {
            if v[s] == 0x20 || v[s] == 0x09 { s += 1; continue }
            if e - s >= 2, v[s] == 0xC2, v[s + 1] == 0xA0 { s += 2; continue }
            if e - s >= 3, v[s] == 0xE3, v[s + 1] == 0x80, v[s + 2] == 0x80 { s += 3; continue }
            break
        }
        while e > s {
            if v[e - 1] == 0x20 || v[e - 1] == 0x09 || v[e - 1] == 0x0D || v[e - 1] == 0x0A { e -= 1; continue }
            if e - s >= 2, v[e - 2] == 0xC2, v[e - 1] == 0xA0 { e -= 2; continue }
            if e - s >= 3, v[e - 3] == 0xE3, v[e - 2] == 0x80, v[e - 1] == 0x80 { e -= 3; continue }
            break
        }
        return Bytes(rebasing: v[s..<e])
    }

    static func string(_ v: Bytes) -> String { String(decoding: v, as: UTF8.self) }

    /// Whether `v` equals the ASCII/UTF-8 text of `s`.
    static func equals(_ v: Bytes, _ s: StaticString) -> Bool {
        guard v.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<v.count where v[i] != p[i] { return false }
        return true
    }

    /// Cleans an identifier-like value of harmless damage: white space anywhere (also full-width),
    /// a leading apostrophe (Excel's text marker, also ‘ ’ and `=` "…" formula wrapping),
    /// full-width digits and letters X/E, and lowercase `x`. Appends the result to `out`.
    static func cleanCode(_ v: Bytes, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let n = v.count
        // Fast path: already clean (digits, upper-case letters, hyphen) — one copy.
        var clean = n > 0 && v[0] != UInt8(ascii: "=")
        for b in v where !(isDigit(b) || (b >= 65 && b <= 90 && b != 69) || b == 45) {
            clean = false
            break
        }
        if clean {
            out.append(contentsOf: v)
            return
        }
        var i = 0
        // Skip a formula wrapper ="…" and surrounding quotes.
        if n >= 3, v[0] == UInt8(ascii: "="), v[1] == UInt8(ascii: "\"") { i = 2 }
        var first = true
        while i < n {
            let b = v[i]
            if b < 0x80 {
                i += 1
                switch b {
                case 0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: "\""): continue
                case UInt8(ascii: "'"), UInt8(ascii: "`"): if first { continue }
                case UInt8(ascii: "x"): out.append(UInt8(ascii: "X")); first = false; continue
                default: break
                }
                out.append(b)
                first = false
                continue
            }
            if i + 1 < n, b == 0xC2, v[i + 1] == 0xA0 { i += 2; continue }
            if i + 2 < n {
                let b1 = v[i + 1], b2 = v[i + 2]
                if b == 0xE3, b1 == 0x80, b2 == 0x80 { i += 3; continue }  // U+3000
                if b == 0xE2, b1 == 0x80, b2 == 0x98 || b2 == 0x99, first { i += 3; continue }  // ‘ ’
                if b == 0xEF, b1 == 0xBC, b2 >= 0x90, b2 <= 0x99 {  // full-width digits
                    out.append(b2 - 0x90 + 48); i += 3; first = false; continue
                }
                if b == 0xEF, b1 == 0xBC, b2 == 0xB8 || b2 == 0xA5 {  // Ｘ Ｅ
                    out.append(b2 == 0xB8 ? 88 : 69); i += 3; continue
                }
                if b == 0xEF, b1 == 0xBD, b2 == 0x98 || b2 == 0x85 {  // ｘ ｅ
                    out.append(b2 == 0x98 ? 88 : 69); i += 3; continue
                }
                if b == 0xEF, b1 == 0xBC, b2 == 0x8B { out.append(UInt8(ascii: "+")); i += 3; continue }  // ＋
                if b == 0xEF, b1 == 0xBC, b2 == 0x8E { out.append(UInt8(ascii: ".")); i += 3; continue }  // ．
            }
            out.append(b)
            first = false
            i += 1
        }
    }

    /// Whether a cleaned value is a number in scientific notation (`2.20102E+17`): what Excel shows
    /// for long numbers in a General-format column, after it has already dropped digits.
    static func isScientific(_ v: [UInt8]) -> Bool {
        var i = 0, digits = 0
        while i < v.count, isDigit(v[i]) { i += 1; digits += 1 }
        guard digits > 0 else { return false }
        if i < v.count, v[i] == UInt8(ascii: ".") {
            i += 1
            while i < v.count, isDigit(v[i]) { i += 1 }
        }
        guard i < v.count, v[i] == UInt8(ascii: "E") || v[i] == UInt8(ascii: "e") else { return false }
        i += 1
        if i < v.count, v[i] == UInt8(ascii: "+") || v[i] == UInt8(ascii: "-") { i += 1 }
        let expStart = i
        while i < v.count, isDigit(v[i]) { i += 1 }
        return i == v.count && i > expStart
    }

    static func allDigits(_ v: [UInt8]) -> Bool { !v.isEmpty && v.allSatisfy(isDigit) }
}
