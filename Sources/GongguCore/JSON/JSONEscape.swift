/// One backslash escape of a JSON string, decoded the same way by `JSONReader` and by intake's
/// flat-record reader (which reports any failure as its own rejection).
public enum JSONEscape {
    /// Decodes the escape whose letter is at `p[i]` (the byte after the backslash), appends its UTF-8
    /// to `out` and moves `i` past it. A `\u` high surrogate must be followed by its low surrogate.
    public static func decode(
        _ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, into out: inout [UInt8]
    ) throws(JSONError) {
        let e = p[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0c)
        case UInt8(ascii: "n"): out.append(0x0a)
        case UInt8(ascii: "r"): out.append(0x0d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(p, &i)
            if (0xD800..<0xDC00).contains(scalar) {
                guard p.count - i >= 6, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u")
                else { throw JSONError("unpaired surrogate", offset: i) }
                i += 2
                let low = try hex4(p, &i)
                guard (0xDC00..<0xE000).contains(low) else { throw JSONError("unpaired surrogate", offset: i) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw JSONError("unpaired surrogate", offset: i)
            }
            guard let u = Unicode.Scalar(scalar) else { throw JSONError("invalid escape", offset: i) }
            out.append(contentsOf: Array(String(Character(u)).utf8))
        default:
            throw JSONError("invalid escape", offset: i - 1)
        }
    }

    private static func hex4(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws(JSONError) -> UInt32 {
        guard p.count - i >= 4 else { throw JSONError("short \\u escape", offset: i) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 97...102: d = UInt32(c - 87)
            case 65...70: d = UInt32(c - 55)
            default: throw JSONError("bad hex digit", offset: i)
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }
}
