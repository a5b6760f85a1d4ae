/// Characters a value must not carry (docs/INTAKE.md, "Control and invisible characters").
///
/// A control character or an invisible format character prints as nothing, so `HBAD-0000002` and
/// `HBAD-0000002` followed by NUL look alike on every screen and report but are two households to
/// the fold. Stripping them would silently turn a damaged value into another one; refusing them
/// names the line and field so that the office fixes the source.
///
/// - Every field refuses C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F).
///   Free text (notes) keeps TAB, LF and CR, which a quoted CSV cell delivers legitimately.
/// - Every field except free text refuses the invisible format characters that make look-alikes:
///   soft hyphen U+00AD, zero-width and direction marks U+200B–U+200F, line and paragraph
///   separators U+2028–U+2029, direction embeddings and overrides U+202A–U+202E, word joiner and
///   invisible operators U+2060–U+2064, direction isolates and deprecated format characters
///   U+2066–U+206F, and the byte order mark U+FEFF inside a value.
///
/// Leading and trailing blanks are trimmed before the check (as for every value), so a CR left by a
/// CRLF line end is no finding.
enum ValueCharacters {
    /// The rejection for the first forbidden character of `v`, or nil when `v` is clean.
    static func check(_ v: Bytes, freeText: Bool) -> Rejection? {
        let n = v.count
        var i = 0
        while i < n {
            let b = v[i]
            // Fast path: everything but controls and the lead bytes of the characters below.
            if b >= 0x20 && b != 0x7F && b != 0xC2 && b != 0xE2 && b != 0xEF {
                i += 1
                continue
            }
            if b < 0x20 || b == 0x7F {
                if freeText && (b == 0x09 || b == 0x0A || b == 0x0D) {
                    i += 1
                    continue
                }
                return control(UInt32(b))
            }
            if b == 0xC2, i + 1 < n {
                let c = v[i + 1]
                if c >= 0x80 && c <= 0x9F { return control(UInt32(c)) }
                if c == 0xAD && !freeText { return invisible(0xAD) }
            } else if b == 0xE2, i + 2 < n, !freeText {
                let scalar = (UInt32(b & 0x0F) << 12) | (UInt32(v[i + 1] & 0x3F) << 6) | UInt32(v[i + 2] & 0x3F)
                if isInvisible(scalar) { return invisible(scalar) }
            } else if b == 0xEF, i + 2 < n, !freeText, v[i + 1] == 0xBB, v[i + 2] == 0xBF {
                return invisible(0xFEFF)
            }
            i += 1
        }
        return nil
    }

    static func isInvisible(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF, 0xAD: return true
        default: return false
        }
    }

    static func codePoint(_ scalar: UInt32) -> String {
        let hex = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func control(_ scalar: UInt32) -> Rejection {
        Rejection(
            "text.control",
            "含有控制字符（\(codePoint(scalar))），屏幕上看不见，却会让这个值与看起来相同的值不一致。"
                + "通常是从其他系统复制或导出时带入的。请删除该字符（可重新输入该单元格）后重新报送。")
    }

    private static func invisible(_ scalar: UInt32) -> Rejection {
        Rejection(
            "text.invisible",
            "含有不可见字符（\(codePoint(scalar))），如零宽空格、字节顺序标记，屏幕上看不见，"
                + "却会让编号或名称与看起来相同的值不一致。请重新输入该单元格后重新报送。")
    }
}
