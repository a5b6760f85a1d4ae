/// A household's disabled members (person indices, never negative) in the order they joined: the
/// first two inline, so the usual household of one or two members holds no array on the heap (an array
/// of one `Int32` is a heap block of 48 bytes, 600,000 of them at province scale); more go to `rest`.
struct MemberList: RandomAccessCollection, ExpressibleByArrayLiteral, Equatable {
    private var first: Int32 = -1
    private var second: Int32 = -1
    private var rest: [Int32] = []

    init() {}

    init<S: Sequence>(_ members: S) where S.Element == Int32 {
        for m in members { append(m) }
    }

    init(arrayLiteral members: Int32...) { self.init(members) }

    var startIndex: Int { 0 }
    var endIndex: Int { first < 0 ? 0 : second < 0 ? 1 : 2 + rest.count }

    subscript(position: Int) -> Int32 {
        precondition(position >= 0 && position < endIndex, "MemberList index out of range")
        switch position {
        case 0: return first
        case 1: return second
        default: return rest[position - 2]
        }
    }

    mutating func append(_ member: Int32) {
        precondition(member >= 0, "MemberList holds person indices")
        if first < 0 {
            first = member
        } else if second < 0 {
            second = member
        } else {
            rest.append(member)
        }
    }

    /// Removes the members `shouldBeRemoved` selects, the others keeping their order.
    mutating func removeAll(where shouldBeRemoved: (Int32) throws -> Bool) rethrows {
        let kept = try filter { try !shouldBeRemoved($0) }
        self = MemberList(kept)
    }

    mutating func reserveCapacity(_ n: Int) {
        if n > 2 { rest.reserveCapacity(n - 2) }
    }
}
