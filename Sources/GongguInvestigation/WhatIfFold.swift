import GongguCore

/// A service fold run as it was, or with one more rule document: wraps the fold, applies the
/// proposed `RulesActivated` before anything else and again after every activation the log holds (so
/// it stays the latest activated, as it would be if activated now, and wins among versions of the
/// same effective date), and keeps the decisions the fold emits.
struct WhatIfFold<F: ServiceFold>: ServiceFold {
    private(set) var inner: F
    private let proposal: Event?
    /// Decisions emitted, in order.
    private(set) var decisions: [RuleDecision] = []
    /// Events applied (upstream and own), for progress.
    private(set) var applied = 0
    private let progress: ((Int) -> Void)?

    init(_ fold: F, proposal: Event?, progress: ((Int) -> Void)?) {
        inner = fold
        self.proposal = proposal
        self.progress = progress
        if let proposal { collect(inner.apply(proposal)) }
    }

    mutating func apply(_ event: Event) -> [Event] {
        var out = inner.apply(event)
        if event.type == RulesActivated.eventType, let proposal { out += inner.apply(proposal) }
        collect(out)
        applied += 1
        if applied % 2048 == 0 { progress?(applied) }
        return out
    }

    private mutating func collect(_ events: [Event]) {
        for e in events { if let d = RuleDecision(e) { decisions.append(d) } }
    }

    func stateDigest() -> String { inner.stateDigest() }
}
