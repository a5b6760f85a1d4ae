/// An array kept in pages of `pageSize` elements: a fold's table of a million entries grows by one
/// page at a time instead of doubling.
///
/// A Swift `Array` that grows past its capacity allocates twice the capacity and moves every element
/// over, so for a moment it holds both buffers: at province scale the verifier's 1.09 million persons
/// (208 bytes each) are 208 MiB, copied into a new 416 MiB buffer when the millionth-and-first is
/// appended. Pages are allocated once at their full size and never moved; only the small array of
/// pages grows. Same order, indices and values as the array it replaces (`Array(paged) == array`).
struct PagedArray<Element>: RandomAccessCollection, MutableCollection {
    /// log2 of the elements per page.
    static var pageShift: Int { 12 }
    static var pageSize: Int { 1 << pageShift }

    private var pages: [[Element]] = []
    private(set) var count = 0

    init() {}

    init<S: Sequence>(_ elements: S) where S.Element == Element {
        for e in elements { append(e) }
    }

    typealias Indices = Range<Int>

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    var indices: Range<Int> { 0..<count }
    func index(after i: Int) -> Int { i + 1 }
    func index(before i: Int) -> Int { i - 1 }

    subscript(position: Int) -> Element {
        get {
            precondition(position >= 0 && position < count, "PagedArray index out of range")
            return pages[position >> Self.pageShift][position & (Self.pageSize - 1)]
        }
        set {
            precondition(position >= 0 && position < count, "PagedArray index out of range")
            pages[position >> Self.pageShift][position & (Self.pageSize - 1)] = newValue
        }
        _modify {
            precondition(position >= 0 && position < count, "PagedArray index out of range")
            yield &pages[position >> Self.pageShift][position & (Self.pageSize - 1)]
        }
    }

    mutating func append(_ element: Element) {
        if count & (Self.pageSize - 1) == 0 {
            var page: [Element] = []
            page.reserveCapacity(Self.pageSize)
            pages.append(page)
        }
        pages[pages.count - 1].append(element)
        count += 1
    }

    /// Room in the array of pages for `n` elements (the pages themselves are allocated as they fill).
    mutating func reserveCapacity(_ n: Int) {
        pages.reserveCapacity((n + Self.pageSize - 1) >> Self.pageShift)
    }
}

extension PagedArray: Equatable where Element: Equatable {
    static func == (a: PagedArray, b: PagedArray) -> Bool { a.elementsEqual(b) }
}
