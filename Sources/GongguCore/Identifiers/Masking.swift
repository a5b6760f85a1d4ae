/// Masks resident ID numbers (and other long digit runs that could be one) in free text, so logs
/// never carry a whole ID: `220102` + birth date + `1234` → `220102********1234`.
public enum PersonalDataMask {
    /// Masks one resident ID: keeps the 6-digit address code and the last 4 characters.
    ///
    /// Printable ASCII (every ID that validated) is masked on its bytes, where one byte is one
    /// character; the yearly report masks millions of IDs. Anything else goes by characters.
    public static func maskID(_ id: String) -> String {
        let ascii: String?? = id.utf8.withContiguousStorageIfAvailable { u in
            guard u.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            let n = u.count
            guard n >= 10 else { return String(repeating: "*", count: n) }
            return String(unsafeUninitializedCapacity: n) { out in
                for i in 0..<n { out[i] = i < 6 || i >= n - 4 ? u[i] : 0x2A }
                return n
            }
        }
        return (ascii ?? nil) ?? maskIDByCharacters(id)
    }

    /// `maskID` by characters: the definition, for text that is not printable ASCII.
    static func maskIDByCharacters(_ id: String) -> String {
        let chars = Array(id)
        guard chars.count >= 10 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(6)) + String(repeating: "*", count: chars.count - 10) + String(chars.suffix(4))
    }

    /// Masks every run of 15 or more digits (with an optional trailing X/x) in `text` that stands
    /// alone (not inside a word such as a hex digest).
    public static func maskText(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            guard utf8[i] >= 48 && utf8[i] <= 57 else {
                out.append(utf8[i])
                i += 1
                continue
            }
            var j = i
            while j < utf8.count, utf8[j] >= 48 && utf8[j] <= 57 { j += 1 }
            if j < utf8.count, utf8[j] == UInt8(ascii: "X") || utf8[j] == UInt8(ascii: "x"), j - i == 17 { j += 1 }
            let run = j - i
            // A run inside a word (hex digests, ids) is not an ID number: ID numbers stand alone.
            func isWordByte(_ k: Int) -> Bool {
                guard k >= 0 && k < utf8.count else { return false }
                let c = utf8[k]
                return (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
            }
            if run >= 15 && !isWordByte(i - 1) && !isWordByte(j) {
                out.append(contentsOf: utf8[i..<i + 6])
                out.append(contentsOf: [UInt8](repeating: UInt8(ascii: "*"), count: run - 10))
                out.append(contentsOf: utf8[j - 4..<j])
            } else {
                out.append(contentsOf: utf8[i..<j])
            }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }
}
