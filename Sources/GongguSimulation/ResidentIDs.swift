import GongguCore
import GongguIntake

/// Hands out unique, valid resident ID numbers (GB 11643): address code = the county, a real birth
/// date, a sequence number whose parity is the gender, and the check character. Uniqueness comes from a
/// counter per (county, birth day, gender) in a flat array, so a million persons need no hashing.
struct IDAllocator {
    static let firstYear = 1920
    static let lastYear = 2025
    private let firstDay = BusinessCalendar.dayNumber(year: firstYear, month: 1, day: 1)
    private let dayCount = BusinessCalendar.dayNumber(year: lastYear + 1, month: 1, day: 1)
        - BusinessCalendar.dayNumber(year: firstYear, month: 1, day: 1)
    private var counters: [UInt16]

    init() {
        counters = [UInt16](repeating: 0, count: Jilin.counties.count * dayCount * 2)
    }

    /// A new ID for a person of `county` born on `day`; the birth day moves forward in the rare case
    /// that all 500 sequence numbers of a day are used.
    mutating func make(county: Int, birthDay: Int, male: Bool) -> (id: String, birthDay: Int) {
        var day = min(max(birthDay, firstDay), firstDay + dayCount - 1)
        while true {
            let slot = ((county * dayCount) + (day - firstDay)) * 2 + (male ? 1 : 0)
            let k = Int(counters[slot])
            if k < 500 {
                counters[slot] += 1
                let id = Self.compose(county: Jilin.counties[county].code, day: day, sequence: k * 2 + (male ? 1 : 0))
                return (id, day)
            }
            day += 1
        }
    }

    /// The 18 characters for an address code, birth day and 3-digit sequence.
    static func compose(county: String, day: Int, sequence: Int) -> String {
        let (y, m, d) = BusinessCalendar.date(ofDay: day)
        var b = Array(county.utf8)
        appendPadded(y, 4, &b)
        appendPadded(m, 2, &b)
        appendPadded(d, 2, &b)
        appendPadded(sequence, 3, &b)
        b.append(checkCharacter(b))
        return String(decoding: b, as: UTF8.self)
    }
}

/// The GB 11643 check character of 17 ASCII digits (the same computation as
/// `ResidentID.checkCharacter`, specialised for arrays: generation makes a million of them).
func checkCharacter(_ b: [UInt8]) -> UInt8 {
    var sum = 0
    let w = checkWeights
    for i in 0..<17 { sum += w[i] * Int(b[i] &- 48) }
    return checkCharacters[sum % 11]
}

private let checkCharacters: [UInt8] = Array("10X98765432".utf8)
private let checkWeights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

/// Appends `v` as exactly `width` decimal digits (zero-padded).
@inline(__always)
func appendPadded(_ v: Int, _ width: Int, _ out: inout [UInt8]) {
    var p = 1
    for _ in 1..<max(width, 1) { p *= 10 }
    var x = v
    while p > 0 {
        out.append(UInt8(48 + (x / p) % 10))
        x %= p
        p /= 10
    }
}
