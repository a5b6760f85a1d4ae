import GongguCore
import GongguEvents
import GongguIntake
import GongguRisk
import GongguVerify

/// Runs a simulated province through intake, the verifier and the risk monitor in-process and
/// compares what they find with `ground-truth.json`.
///
/// Wiring, as the services are: every file in manifest order is read with `IntakeReader` (records
/// whose fingerprint was already accepted are duplicates, as the intake service decides), each
/// accepted fact goes to the `VerifyFold` and to the `RiskFold` at once, in file order; the verifier's
/// outputs are collected and fed to the risk fold after all intake facts (the chosen interleaving: the
/// risk monitor takes facts and findings from two streams, and either order gives the same
/// recommendations for the seeded cases). Finally a `ClockTicked` of the reference date goes to the
/// verifier, its outputs to the risk fold, then the tick to the risk fold.
public enum PipelineCheck {
    /// Reads `directory` (written by `Simulator.write(to:)`) and compares with its ground truth.
    public static func run(directory: String) throws -> Comparison {
        let truth = try GroundTruth(json: try readAll(directory + "/ground-truth.json"))
        let manifest = try JSONValue.parse(try readAll(directory + "/manifest.json"))
        let received = BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(truth.referenceDate)!)
        var verify = VerifyFold()
        var risk = try RiskFold()
        var seen = Set<EventID>()
        var verifyOutputs: [Event] = []
        var found = Found()
        var counts: [Comparison.FileResult] = []

        for entry in manifest["files"]?.arrayValue ?? [] {
            guard let name = entry["file"]?.stringValue, let kindName = entry["kind"]?.stringValue,
                let kind = RecordKind(rawValue: kindName)
            else { throw SimulationError("manifest: bad file entry") }
            let context = IntakeContext(
                kind: kind, source: name, importID: EventID.derived("simulation|import|\(name)"), receivedAt: received)
            let reader = try IntakeReader(path: directory + "/" + name, context: context)
            var summary = ImportSummary()
            while let outcome = try reader.next() {
                summary.count(outcome)
                switch outcome {
                case let .accepted(event, _, _):
                    guard seen.insert(event.id).inserted else {
                        summary.markDuplicate()
                        continue
                    }
                    verifyOutputs += verify.apply(event)
                    found.risk(risk.apply(event))
                case .rejected:
                    if let r = outcome.rejection { found.rejected.append("\(r.file):\(r.line):\(r.code)") }
                }
            }
            let expected = truth.files.first { $0.file == name }
            counts.append(Comparison.FileResult(file: name, kind: kindName, expected: expected, actual: summary))
        }
        for e in verifyOutputs {
            found.verify(e)
            found.risk(risk.apply(e))
        }
        let tick = Event(
            ClockTicked(date: truth.referenceDate), id: EventID.derived("simulation|tick|\(truth.referenceDate)"),
            subject: "simulation", region: "22", occurredAt: received)
        for e in verify.apply(tick) {
            found.verify(e)
            found.risk(risk.apply(e))
        }
        found.risk(risk.apply(tick))
        found.continuity(truth) { verify.continuityLedger.summary(year: $0, regionPrefix: $1) }
        return Comparison(truth: truth, found: found, files: counts)
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        let reader = try FileBytes(path: path)
        return reader.bytes
    }
}

/// What the pipeline produced, by category.
struct Found {
    var rejected: [String] = []
    var gaps: [String] = []
    var discontinued: [String] = []
    var anomalies: [String] = []
    var resolved: [String] = []
    /// Household of every verifier finding (for the must-not-be-found check).
    var findingHouseholds: Set<String> = []
    var monitoring: [String] = []
    var elimination: [String] = []
    var withoutAssistance: [String] = []
    /// Seeded households that the verifier's continuity figures of their region put on the own line
    /// (年初无在享主要帮扶措施: counted there, not in the rate's numerator or denominator).
    var continuityOwnLine: [String] = []
    var overdue = 0
    var assessed = 0

    mutating func verify(_ e: Event) {
        switch e.type {
        case EntitlementGap.eventType:
            if let f = try? e.decode(EntitlementGap.self) { gaps.append(f.findingID) }
        case AssistanceDiscontinued.eventType:
            if let f = try? e.decode(AssistanceDiscontinued.self) { discontinued.append(f.findingID) }
        case PaymentAnomaly.eventType:
            if let f = try? e.decode(PaymentAnomaly.self) { anomalies.append(f.findingID) }
        case FindingResolved.eventType:
            if let f = try? e.decode(FindingResolved.self) { resolved.append(f.findingID) }
        default:
            return
        }
        findingHouseholds.insert(e.subject)
    }

    /// Asks `summary(year, region)` for the continuity figures of each seeded own-line household's region
    /// (a village of its own) in the reference year: on the own line, and nothing in the rate.
    mutating func continuity(_ truth: GroundTruth, _ summary: (Int, String) throws -> ContinuitySummary?) rethrows {
        let year = Int(truth.referenceDate.prefix(4)) ?? 0
        for h in truth.continuityOwnLine {
            // Household ids are `H<12-digit region>-<index>`.
            let region = String(h.householdID.dropFirst().prefix(12))
            guard let s = try summary(year, region) else { continue }
            if s.lifted == 1, s.noMeasure == 1, s.households == 0, s.allContinued == 0 {
                continuityOwnLine.append(h.householdID)
            }
        }
    }

    mutating func risk(_ events: [Event]) {
        for e in events {
            switch e.type {
            case MonitoringRecommended.eventType: monitoring.append(e.subject)
            case RiskEliminationRecommended.eventType: elimination.append(e.subject)
            case MonitoringWithoutAssistance.eventType: withoutAssistance.append(e.subject)
            case RecommendationOverdue.eventType: overdue += 1
            case RiskAssessed.eventType: assessed += 1
            default: break
            }
        }
    }
}
