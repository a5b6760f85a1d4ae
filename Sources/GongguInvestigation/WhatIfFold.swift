import GongguCore
import GongguEvents

/// A service fold run as it was, or with one more configuration document: wraps the fold, applies the
/// proposed activation event (`RulesActivated`, `DirectoryActivated`) before anything else and again
/// after every activation of that type the log holds (so it stays the latest activated, as it would be
/// if activated now, and wins among rule versions of the same effective date), and keeps what `keep`
/// picks out of the fold's outputs (the decisions or notifications compared).
struct WhatIfFold<F: ServiceFold, Kept>: ServiceFold {
    private(set) var inner: F
    private let proposal: Event?
    private let keep: (Event) -> Kept?
    /// What `keep` returned for the outputs, in order.
    private(set) var kept: [Kept] = []
    /// Events applied (upstream and own).
    private(set) var applied = 0

    init(_ fold: F, proposal: Event?, keep: @escaping (Event) -> Kept?) {
        inner = fold
        self.proposal = proposal
        self.keep = keep
        if let proposal { collect(inner.apply(proposal)) }
    }

    mutating func apply(_ event: Event) -> [Event] {
        var out = inner.apply(event)
        if let proposal, event.type == proposal.type { out += inner.apply(proposal) }
        collect(out)
        applied += 1
        return out
    }

    private mutating func collect(_ events: [Event]) {
        for e in events { if let d = keep(e) { kept.append(d) } }
    }

    func stateDigest() -> String { inner.stateDigest() }
}
