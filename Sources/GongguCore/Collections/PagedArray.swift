/// An array kept in pages of `1 << pageShift` elements: a fold's table of a million entries grows by
/// one page at a time instead of doubling.
///
/// A Swift `Array` that grows past its capacity allocates twice the capacity and moves every element
/// over, so for a moment it holds both buffers, and its spare capacity may be as large as its contents:
/// at province scale the verifier's 1.09 million persons (208 bytes each) are 208 MiB, copied into a
/// new 416 MiB buffer when the millionth-and-first is appended. Pages are allocated once at their full
/// size and never moved; only the small array of pages grows, and a change to a copy (copy-on-write)
/// copies only its page. Same order, indices and values as the array it replaces
/// (`Array(paged) == array`). The verifier's persons and households and the risk monitor's households
/// live in one.
public struct PagedArray<Element>: RandomAccessCollection, MutableCollection {
    /// log2 of the elements per page.
    public let pageShift: Int
    @usableFromInline var pages: [[Element]] = []
    @usableFromInline var stored = 0

    /// An empty array of pages of `1 << pageShift` elements (4,096 by default).
    public init(pageShift: Int = 12) {
        precondition((0...24).contains(pageShift), "PagedArray page shift out of range")
        self.pageShift = pageShift
    }

    public init<S: Sequence>(_ elements: S, pageShift: Int = 12) where S.Element == Element {
        self.init(pageShift: pageShift)
        for e in elements { append(e) }
    }

    public typealias Indices = Range<Int>

    /// Elements per page.
    @inlinable public var pageSize: Int { 1 << pageShift }
    @inlinable public var count: Int { stored }
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { stored }
    @inlinable public var indices: Range<Int> { 0..<stored }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    /// Read in place (`_read`, not `get`): `persons[i].flags` borrows the element where a getter copied it
    /// whole, retaining and releasing every reference it holds (a seventh of the verifier's fold
    /// instructions an event went into such copies).
    @inlinable
    public subscript(position: Int) -> Element {
        _read {
            precondition(position >= 0 && position < stored, "PagedArray index out of range")
            yield pages[position >> pageShift][position & (pageSize - 1)]
        }
        set {
            precondition(position >= 0 && position < stored, "PagedArray index out of range")
            pages[position >> pageShift][position & (pageSize - 1)] = newValue
        }
        _modify {
            precondition(position >= 0 && position < stored, "PagedArray index out of range")
            yield &pages[position >> pageShift][position & (pageSize - 1)]
        }
    }

    @inlinable
    public mutating func append(_ element: Element) {
        if stored & (pageSize - 1) == 0 {
            var page: [Element] = []
            page.reserveCapacity(pageSize)
            pages.append(page)
        }
        pages[pages.count - 1].append(element)
        stored += 1
    }

    /// Room in the array of pages for `n` elements (the pages themselves are allocated as they fill).
    @inlinable
    public mutating func reserveCapacity(_ n: Int) {
        pages.reserveCapacity((n + pageSize - 1) >> pageShift)
    }
}

extension PagedArray: Equatable where Element: Equatable {
    public static func == (a: PagedArray, b: PagedArray) -> Bool { a.elementsEqual(b) }
}
