import GongguCore

/// The households' states by slot, in pages of 1,024 states (`PagedArray`): at 600,000 households an
/// array's last growth held 2 × 524,288 states at once, and its spare capacity was up to as large again
/// as its contents; pages grow one at a time, and a change to a copy copies only its page (256 KiB).
enum HouseholdPages {
    static let pageShift = 10
    static let pageSize = 1 << pageShift

    static func make() -> PagedArray<HouseholdState> { PagedArray(pageShift: pageShift) }
}
