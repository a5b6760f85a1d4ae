/// The lower bound in a sorted buffer of keys that are spread evenly over their range (hash
/// fingerprints, ids that are the leading bytes of a SHA-256): start at the index the key's value
/// predicts, gallop away from it to bracket the bound, then halve the bracket.
///
/// A binary search of a buffer held in memory pays a cache miss at nearly every step once the
/// buffer is cold, and a set of millions of random ids is always cold. From the predicted index the
/// bound is usually a few elements away, in the same cache line or the next. The answer is the same
/// as a binary search's for any sorted buffer; only the steps differ (on keys that are not spread
/// evenly it costs about twice a binary search's compares at worst).
public enum UniformSearch {
    /// The first index of `a` whose element is not below the key, where `isBelow(e)` says whether `e`
    /// sorts before the key (`a` sorted by the same order). `fraction` is the key's position in the
    /// keys' range as a fraction of 2^32 (the top 32 bits of the key below what partitions it).
    @inlinable
    public static func lowerBound<Element>(
        in a: UnsafeBufferPointer<Element>, fraction: UInt32, isBelow: (Element) -> Bool
    ) -> Int {
        let n = a.count
        guard n > 0 else { return 0 }
        let guess = Int(truncatingIfNeeded: (UInt64(fraction) &* UInt64(n)) >> 32)
        var lo: Int, hi: Int
        if isBelow(a[guess]) {
            // The bound is after `guess`: probe guess + 1, + 2, + 4, … until one is not below.
            lo = guess + 1
            hi = n
            var step = 1
            while lo + step - 1 < n {
                if isBelow(a[lo + step - 1]) {
                    lo += step
                    step <<= 1
                } else {
                    hi = lo + step - 1
                    break
                }
            }
        } else {
            // The bound is at `guess` or before it.
            lo = 0
            hi = guess
            var step = 1
            while hi - step >= 0 {
                if isBelow(a[hi - step]) {
                    lo = hi - step + 1
                    break
                }
                hi -= step
                step <<= 1
            }
        }
        while lo < hi {
            let mid = (lo + hi) >> 1
            if isBelow(a[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
