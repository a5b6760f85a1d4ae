import GongguCore

/// The simulator's draws over `SplitMix64` (GongguCore). Public for the chaos bench and tests that draw
/// schedules from a seed.
extension SplitMix64 {
    /// A generator for one item (household `index`) independent of the order items are made in.
    init(seed: UInt64, stream: UInt64, index: UInt64) {
        var s = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (index &* 0xD1B5_4A32_D192_ED03))
        self.init(seed: s.next())
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in the closed range.
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }

    /// True with probability `percent`/100 (fractions of a percent in `perMille` variant).
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func chance(perMille: Int) -> Bool { below(1000) < perMille }

    /// An index chosen with the given integer weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        var r = below(weights.reduce(0, +))
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
