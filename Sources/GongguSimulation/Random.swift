/// SplitMix64: a small, fast, seedable generator. The simulator never uses system randomness, so the
/// same seed always gives the same bytes. Public for the chaos bench and tests that draw schedules from
/// a seed.
public struct SplitMix64 {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one item (household `index`) independent of the order items are made in.
    init(seed: UInt64, stream: UInt64, index: UInt64) {
        var s = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (index &* 0xD1B5_4A32_D192_ED03))
        state = s.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<n` (n > 0).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

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
