import GongguCore

/// The fuzz runner's generator: SplitMix64 (GongguCore), so a run is repeatable from its seed.
public typealias FuzzRandom = SplitMix64

/// Structure-unaware mutations in the manner of libFuzzer's: bit flips, byte changes, inserts and
/// deletes, copies within the input, dictionary tokens of the format, splices with another corpus
/// entry, and long repeats (deep nesting, huge fields).
public struct Mutator {
    public let dictionary: [[UInt8]]
    public let maxLength: Int

    public init(dictionary: [[UInt8]], maxLength: Int) {
        self.dictionary = dictionary.filter { !$0.isEmpty }
        self.maxLength = maxLength
    }

    static let interesting: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x22, 0x2C, 0x0A, 0x0D, 0x5C, 0x7B, 0x5B, 0x20]

    /// `input` changed by one to four mutations; `other` is a second corpus entry for splicing.
    public func mutate(_ input: [UInt8], other: [UInt8], random: inout FuzzRandom) -> [UInt8] {
        var data = input
        for _ in 0...random.below(4) { mutateOnce(&data, other: other, random: &random) }
        if data.count > maxLength { data.removeLast(data.count - maxLength) }
        return data
    }

    private func mutateOnce(_ data: inout [UInt8], other: [UInt8], random: inout FuzzRandom) {
        let choice = random.below(12)
        // Only inserting mutations apply to an empty input.
        if data.isEmpty, ![3, 6, 7, 8].contains(choice) {
            data.append(UInt8(truncatingIfNeeded: random.next()))
            return
        }
        switch choice {
        case 0:
            data[random.below(data.count)] ^= 1 << UInt8(random.below(8))
        case 1:
            data[random.below(data.count)] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            data[random.below(data.count)] = Self.interesting[random.below(Self.interesting.count)]
        case 3:
            let at = random.below(data.count + 1)
            let count = 1 + random.below(8)
            data.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 4:
            let at = random.below(data.count)
            let count = 1 + random.below(min(data.count - at, 1 + random.below(32)))
            data.removeSubrange(at..<at + count)
        case 5:
            let from = random.below(data.count)
            let count = 1 + random.below(min(data.count - from, 64))
            let chunk = Array(data[from..<from + count])
            data.insert(contentsOf: chunk, at: random.below(data.count + 1))
        case 6, 7:
            guard !dictionary.isEmpty else { return }
            let token = dictionary[random.below(dictionary.count)]
            let at = random.below(data.count + 1)
            if choice == 6 || at + token.count > data.count {
                data.insert(contentsOf: token, at: at)
            } else {
                data.replaceSubrange(at..<at + token.count, with: token)
            }
        case 8:
            guard !other.isEmpty else { return }
            let cut = random.below(data.count + 1)
            let from = random.below(other.count)
            data = Array(data[0..<cut]) + other[from...]
        case 9:
            // A long repeat: nesting brackets, a quote run, a huge number or field.
            let unit: [UInt8] = dictionary.isEmpty || random.below(2) == 0
                ? [data[random.below(data.count)]] : dictionary[random.below(dictionary.count)]
            let times = 16 << random.below(10)
            let at = random.below(data.count + 1)
            let room = max(0, maxLength - data.count) / max(unit.count, 1)
            data.insert(contentsOf: Array(repeatElement(unit, count: min(times, room)).joined()), at: at)
        case 10:
            let at = random.below(data.count)
            data.removeLast(data.count - at)
        default:
            let a = random.below(data.count), b = random.below(data.count)
            data.swapAt(a, b)
        }
    }
}
